package dev.rdeportal.gateway.preview;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rdeportal.domain.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * What the preview origin answers itself: a small page for a browser navigating, problem+json for
 * everything else (fetches, XHR), each saying what happened. Never cached.
 */
final class PreviewResponses {

    private final ObjectMapper json = new ObjectMapper();
    private final String portalUrl;

    PreviewResponses(String portalUrl) {
        this.portalUrl = portalUrl;
    }

    /** An error; {@code origin}, when known, adds a way back through the portal to the page. */
    Mono<Void> error(ServerWebExchange exchange, ErrorCode code, String detail, PreviewOrigin origin) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatusCode.valueOf(code.status()));
        response.getHeaders().setCacheControl(CacheControl.noStore());
        byte[] body;
        if (wantsHtml(exchange)) {
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
            // The page runs nothing and loads nothing.
            response.getHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            body = page(code, detail, origin).getBytes(StandardCharsets.UTF_8);
        } else {
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            ObjectNode problem = json.createObjectNode()
                    .put("type", "about:blank")
                    .put("title", title(code))
                    .put("status", code.status())
                    .put("detail", detail)
                    .put("instance", exchange.getRequest().getPath().value())
                    .put("code", code.code());
            if (origin != null) {
                problem.put("portal", portalLink(origin));
            }
            body = problem.toString().getBytes(StandardCharsets.UTF_8);
        }
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** Where the owner gets a fresh ticket: the portal's page of the workspace, which opens the preview. */
    String portalLink(PreviewOrigin origin) {
        if (PreviewFilter.published(origin)) {
            return portalUrl + "/published/" + origin.workspaceId();
        }
        return portalUrl + "/workspaces/" + origin.workspaceId() + "?preview=" + origin.port();
    }

    private String page(ErrorCode code, String detail, PreviewOrigin origin) {
        String link = origin == null ? ""
                : "<p><a href=\"" + HtmlUtils.htmlEscape(portalLink(origin)) + "\">Open this preview from the RDE portal</a>"
                + (code == ErrorCode.PREVIEW_SESSION_REQUIRED ? " to sign in to it again." : ".") + "</p>";
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + code.status() + " " + title(code)
                + " · RDE preview</title><style>body{font:16px system-ui,sans-serif;max-width:40em;margin:4em auto;"
                + "padding:0 1em;color:#1f2328}code{background:#f3f4f6;padding:0 .2em}</style></head><body>"
                + "<h1>" + HtmlUtils.htmlEscape(title(code)) + "</h1><p>" + HtmlUtils.htmlEscape(detail) + "</p>" + link
                + "<p><small>" + code.status() + " · <code>" + code.code() + "</code></small></p></body></html>";
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case PREVIEW_SESSION_REQUIRED -> "Open this preview from the portal";
            case TICKET_INVALID -> "This preview link cannot be used";
            case NOT_FOUND -> "No such preview";
            case STATE_CONFLICT -> "The workspace is not running";
            case APP_UNREACHABLE -> "The app is not answering";
            case UNAVAILABLE -> "The workspace's agent is not connected";
            case FIREWALL_BLOCKED -> "Blocked by the portal's firewall";
            default -> "Preview error";
        };
    }

    private static boolean wantsHtml(ServerWebExchange exchange) {
        List<MediaType> accept = exchange.getRequest().getHeaders().getAccept();
        return accept.stream().anyMatch(t -> t.isCompatibleWith(MediaType.TEXT_HTML) && !t.isWildcardType());
    }
}
