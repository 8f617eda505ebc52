package dev.rdeportal.portal.server.security;

import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Decides, before anything else runs (Spring Security, the firewall, the terminal relay, the
 * command metadata), which client address and scheme the portal believes for this request, and
 * puts them in exchange attributes. See {@link TrustedProxies} for the rules.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ClientAddressFilter implements WebFilter {

    /**
     * The client IP; read under this name by {@code CommandSender.CLIENT_IP_ATTRIBUTE} (command
     * side) and {@code ClientIp} (terminal relay), which may not depend on the portal.
     */
    public static final String CLIENT_IP = "rde.clientIp";
    /** {@code Boolean.TRUE} when the client reached us over TLS (directly or via a trusted proxy). */
    public static final String SECURE = "rde.secure";

    private final TrustedProxies proxies;

    ClientAddressFilter(SecurityProperties properties) {
        this.proxies = new TrustedProxies(properties.trustedProxies());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        List<String> forwardedFor = request.getHeaders().get("X-Forwarded-For");
        exchange.getAttributes().put(CLIENT_IP, proxies.clientAddress(peer, forwardedFor));
        exchange.getAttributes().put(SECURE, request.getSslInfo() != null
                || peer != null && proxies.trusts(peer) && forwardedHttps(request));
        return chain.filter(exchange);
    }

    /** The last {@code X-Forwarded-Proto} value: the one our own proxy wrote. */
    private static boolean forwardedHttps(ServerHttpRequest request) {
        List<String> values = request.getHeaders().get("X-Forwarded-Proto");
        if (values == null || values.isEmpty()) {
            return false;
        }
        String last = values.get(values.size() - 1);
        int comma = last.lastIndexOf(',');
        return "https".equalsIgnoreCase((comma < 0 ? last : last.substring(comma + 1)).trim());
    }
}
