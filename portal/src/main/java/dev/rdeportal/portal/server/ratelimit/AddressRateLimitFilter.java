package dev.rdeportal.portal.server.ratelimit;

import dev.rdeportal.portal.server.security.ClientAddressFilter;
import dev.rdeportal.portal.server.web.ProblemWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts every {@code /api/v1} call against its client address (exchange attribute
 * {@value ClientAddressFilter#CLIENT_IP}), before authentication: calls without a token or with a
 * bad one count too, so nobody can hammer the token check. Runs after the client-address, security
 * headers and firewall filters (a blocked address is refused by the firewall, uncounted), and
 * before Spring Security, where {@link UserRateLimitFilter} counts the same call against the user.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AddressRateLimitFilter implements WebFilter {

    private final ApiRateLimits limits;
    private final ProblemWriter problems;

    AddressRateLimitFilter(ApiRateLimits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!ApiPaths.isApi(exchange)) {
            return chain.filter(exchange);
        }
        Object decided = exchange.getAttribute(ClientAddressFilter.CLIENT_IP);
        String clientIp = decided instanceof String ip ? ip : "unknown";
        var decision = limits.request(clientIp);
        return decision.allowed() ? chain.filter(exchange)
                : RateLimitResponses.refuse(problems, exchange, decision, "too many requests from your address");
    }
}
