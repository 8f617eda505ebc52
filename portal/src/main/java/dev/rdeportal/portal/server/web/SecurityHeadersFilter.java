package dev.rdeportal.portal.server.web;

import dev.rdeportal.portal.server.security.ClientAddressFilter;
import dev.rdeportal.portal.server.security.SecurityProperties;
import dev.rdeportal.portal.server.web.ui.UiPaths;
import java.net.URI;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The security headers of every portal response, errors included (401/403 from Spring Security,
 * 404/500 from {@code ProblemExceptionHandler}, firewall refusals): they are set when the request
 * arrives, and again just before the response is committed, so no later handler drops them.
 * <ul>
 *   <li>UI pages and assets: a strict Content-Security-Policy — scripts only from the portal's own
 *       origin (no inline script, no eval), connections only to the portal and the OIDC issuer
 *       (token endpoint and discovery), no framing;</li>
 *   <li>the API and everything else: {@code default-src 'none'} (JSON is never a document);</li>
 *   <li>springdoc's page, which brings its own inline script: only {@code frame-ancestors 'none'};</li>
 *   <li>everywhere: nosniff, no referrer, a same-origin opener, no powerful features, and HSTS when
 *       the client came over TLS (directly, or per a trusted proxy's {@code X-Forwarded-Proto}).</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class SecurityHeadersFilter implements WebFilter {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String DOCS_POLICY = "frame-ancestors 'none'; object-src 'none'";
    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    static final String HSTS = "max-age=31536000; includeSubDomains";
    private static final List<String> DOCS = List.of("/swagger-ui", "/webjars", "/v3");

    private final String uiPolicy;

    SecurityHeadersFilter(SecurityProperties security) {
        this.uiPolicy = uiPolicy(security.issuerUri());
    }

    static String uiPolicy(String issuerUri) {
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                // xterm.js renders its theme and cell sizes through <style> elements it creates.
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "font-src 'self'",
                // 'self' covers the terminal WebSocket (ws/wss on the same host) in CSP level 3.
                "connect-src 'self' " + origin(issuerUri),
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'");
    }

    /** {@code http://localhost:9000/realms/x} → {@code http://localhost:9000}. */
    static String origin(String uri) {
        URI parsed = URI.create(uri);
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("the issuer must be an absolute URL: " + uri);
        }
        String host = parsed.getHost().contains(":") && !parsed.getHost().startsWith("[")
                ? "[" + parsed.getHost() + "]" : parsed.getHost();
        return parsed.getScheme() + "://" + host + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        ServerHttpResponse response = exchange.getResponse();
        write(exchange, path, response.getHeaders());
        if (UiPaths.isHashedAsset(path)) {
            // Set before the security filter chain runs, which then leaves Cache-Control alone.
            response.getHeaders().setCacheControl("public, max-age=31536000, immutable");
        }
        response.beforeCommit(() -> {
            write(exchange, path, response.getHeaders());
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private void write(ServerWebExchange exchange, String path, HttpHeaders headers) {
        headers.set("Content-Security-Policy", policyFor(path));
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", PERMISSIONS_POLICY);
        if (Boolean.TRUE.equals(exchange.getAttribute(ClientAddressFilter.SECURE))) {
            headers.set("Strict-Transport-Security", HSTS);
        }
    }

    private String policyFor(String path) {
        for (String prefix : DOCS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")) {
                return DOCS_POLICY;
            }
        }
        return UiPaths.isUi(path) ? uiPolicy : API_POLICY;
    }
}
