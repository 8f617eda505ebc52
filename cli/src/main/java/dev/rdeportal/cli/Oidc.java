package dev.rdeportal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Authorization code + PKCE with the public client {@code rde-cli} (RFC 8252: loopback redirect on
 * any port). Endpoints come from the issuer's discovery document.
 */
final class Oidc {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    record Endpoints(String issuer, String clientId, URI authorize, URI token) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** {@code GET /api/v1/auth/config} on the portal, then the issuer's discovery document. */
    Endpoints discover(URI portal) throws IOException, InterruptedException {
        JsonNode config = json(portal.resolve("/api/v1/auth/config"));
        String issuer = config.get("issuer").asText();
        String clientId = "rde-cli";
        JsonNode discovery = json(URI.create(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration"));
        return new Endpoints(issuer, clientId, URI.create(discovery.get("authorization_endpoint").asText()),
                URI.create(discovery.get("token_endpoint").asText()));
    }

    static URI authorizeUrl(Endpoints endpoints, String redirectUri, String state, Pkce pkce) {
        return URI.create(endpoints.authorize() + "?" + form(ordered(
                "response_type", "code",
                "client_id", endpoints.clientId(),
                "redirect_uri", redirectUri,
                "scope", "openid email",
                "state", state,
                "code_challenge", pkce.challenge(),
                "code_challenge_method", "S256")));
    }

    /**
     * Headless sign-in: plays the browser's part against a login form with {@code username},
     * {@code password} and a CSRF field (the embedded provider's), and reads the code from the
     * final redirect instead of receiving it on the loopback port.
     */
    String codeWithPassword(Endpoints endpoints, URI authorize, String redirectUri, String state, String username,
                            String password) throws IOException, InterruptedException {
        URI loginPage = redirect(send(get(authorize)), "authorize");
        HttpResponse<String> page = send(get(loginPage));
        Matcher csrf = CSRF.matcher(page.body());
        Map<String, String> fields = ordered("username", username, "password", password);
        if (csrf.find()) {
            fields.put("_csrf", csrf.group(1));
        }
        URI next = redirect(send(HttpRequest.newBuilder(loginPage)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build()), "login");
        if (next.getRawQuery() != null && next.getRawQuery().contains("error")) {
            throw new IllegalStateException("sign-in refused for " + username);
        }
        for (int hops = 0; hops < 5 && !next.toString().startsWith(redirectUri); hops++) {
            next = redirect(send(get(next)), "authorize after login");
        }
        return codeFrom(next.getRawQuery(), state);
    }

    /** The code of a callback's query, after checking its state. */
    static String codeFrom(String rawQuery, String state) {
        Map<String, String> q = query(rawQuery);
        if (q.containsKey("error")) {
            throw new IllegalStateException("the identity provider refused: " + q.get("error"));
        }
        if (!state.equals(q.get("state")) || q.get("code") == null) {
            throw new IllegalStateException("the sign-in callback does not belong to this login");
        }
        return q.get("code");
    }

    String exchange(Endpoints endpoints, String code, String redirectUri, Pkce pkce)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoints.token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(ordered(
                        "grant_type", "authorization_code",
                        "code", code,
                        "redirect_uri", redirectUri,
                        "client_id", endpoints.clientId(),
                        "code_verifier", pkce.verifier()))))
                .build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the token endpoint answered " + r.statusCode());
        }
        JsonNode token = PortalClient.JSON.readTree(r.body());
        if (!token.hasNonNull("access_token")) {
            throw new IllegalStateException("the token endpoint gave no access token");
        }
        return token.get("access_token").asText();
    }

    private JsonNode json(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = send(get(uri));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode());
        }
        return PortalClient.JSON.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private static URI redirect(HttpResponse<String> r, String step) {
        if (r.statusCode() / 100 != 3) {
            throw new IllegalStateException(step + ": expected a redirect, got " + r.statusCode());
        }
        return r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
    }

    static Map<String, String> ordered(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
