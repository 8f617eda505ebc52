package dev.rdeportal.gateway.preview;

import dev.rdeportal.proto.v1.HttpHeader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * Which headers cross the relay, each way. Hop-by-hop headers (RFC 9110 §7.6.1, and whatever
 * {@code Connection} names) never do. Toward the app, the portal alone says where the request came
 * from: {@code Forwarded}, {@code X-Forwarded-*} and {@code X-Real-IP} from the client are dropped
 * and set anew, and the preview cookie is taken out of {@code Cookie}, so the app never sees the
 * session. Toward the browser, {@code Cache-Control: no-store} replaces the app's, and a
 * {@code Domain} attribute on the app's cookies is removed, so an app cannot set cookies for
 * other previews.
 */
final class PreviewHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
    private static final Set<String> FROM_CLIENT_NEVER = Set.of("host", "forwarded", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-real-ip", "expect");
    // The agent's WebSocket client makes its own handshake.
    private static final Set<String> WEBSOCKET_HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept");
    private static final Pattern DOMAIN_ATTRIBUTE = Pattern.compile(";\\s*domain=[^;]*", Pattern.CASE_INSENSITIVE);

    private PreviewHeaders() {
    }

    /** The request's end-to-end headers, then Host and X-Forwarded-* as the portal states them. */
    static List<HttpHeader> toApp(HttpHeaders headers, boolean websocket, String cookieName, String host,
                                  String scheme, String clientIp) {
        Set<String> dropped = connectionListed(headers);
        List<HttpHeader> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || FROM_CLIENT_NEVER.contains(name) || dropped.contains(name)
                    || (websocket && WEBSOCKET_HANDSHAKE.contains(name))) {
                continue;
            }
            for (String value : header.getValue()) {
                if (name.equals("cookie")) {
                    value = withoutCookie(value, cookieName);
                    if (value.isEmpty()) {
                        continue;
                    }
                }
                out.add(header(header.getKey(), value));
            }
        }
        int colon = host.lastIndexOf(':');
        out.add(header("Host", host));
        out.add(header("X-Forwarded-For", clientIp));
        out.add(header("X-Forwarded-Proto", scheme));
        out.add(header("X-Forwarded-Host", host));
        out.add(header("X-Forwarded-Port", colon > 0 ? host.substring(colon + 1) : scheme.equals("https") ? "443" : "80"));
        return out;
    }

    /** The app's response headers as the browser gets them. */
    static void toBrowser(List<HttpHeader> appHeaders, HttpHeaders out) {
        Set<String> dropped = new HashSet<>();
        for (HttpHeader header : appHeaders) {
            if (header.getName().equalsIgnoreCase("connection")) {
                for (String token : header.getValue().split(",")) {
                    dropped.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (HttpHeader header : appHeaders) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || dropped.contains(name) || name.equals("cache-control")
                    || name.equals("expires") || name.equals("pragma") || WEBSOCKET_HANDSHAKE.contains(name)) {
                continue;
            }
            String value = name.equals("set-cookie") ? DOMAIN_ATTRIBUTE.matcher(header.getValue()).replaceAll("")
                    : header.getValue();
            out.add(header.getName(), value);
        }
        out.set(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static Set<String> connectionListed(HttpHeaders headers) {
        Set<String> listed = new HashSet<>();
        for (String value : headers.getOrEmpty(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                listed.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return listed;
    }

    /** A Cookie header without the named cookie: "a=1; rde_preview=x; b=2" → "a=1; b=2". */
    static String withoutCookie(String cookieHeader, String name) {
        List<String> kept = new ArrayList<>();
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.strip();
            int eq = trimmed.indexOf('=');
            String key = eq < 0 ? trimmed : trimmed.substring(0, eq).strip();
            if (!trimmed.isEmpty() && !key.equals(name)) {
                kept.add(trimmed);
            }
        }
        return String.join("; ", kept);
    }

    private static HttpHeader header(String name, String value) {
        return HttpHeader.newBuilder().setName(name).setValue(value).build();
    }
}
