package dev.rdeportal.portal.server.web.ui;

import dev.rdeportal.portal.server.security.SecurityProperties;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A strict Content-Security-Policy on everything the UI serves: scripts only from the portal's own
 * origin (no inline script, no eval), connections only to the portal and the OIDC issuer (token
 * endpoint and discovery), no framing. The API answers JSON and is left alone, as is springdoc's
 * page, which brings its own inline script.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class UiSecurityHeadersFilter implements WebFilter {

    private final String policy;

    UiSecurityHeadersFilter(SecurityProperties security) {
        this.policy = policy(security.issuerUri());
    }

    static String policy(String issuerUri) {
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
        if (UiPaths.isUi(path)) {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("Content-Security-Policy", policy);
            headers.set("Referrer-Policy", "same-origin");
            headers.set("X-Content-Type-Options", "nosniff");
            if (UiPaths.isHashedAsset(path)) {
                // Set before the security filter chain runs, which then leaves Cache-Control alone.
                headers.setCacheControl("public, max-age=31536000, immutable");
            }
        }
        return chain.filter(exchange);
    }
}
