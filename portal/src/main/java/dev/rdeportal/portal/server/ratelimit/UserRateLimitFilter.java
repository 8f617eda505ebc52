package dev.rdeportal.portal.server.ratelimit;

import dev.rdeportal.portal.server.web.ProblemWriter;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts every authenticated {@code /api/v1} call against its user, and every launch
 * ({@code POST /api/v1/workspaces}) against the user's launches. Part of the security filter chain,
 * right after authentication and before authorisation, so calls that are then refused (403, 404,
 * 400) count too. Anonymous calls are counted per address only ({@link AddressRateLimitFilter}).
 * Not a bean: a {@link WebFilter} bean would also run outside the security chain, before anyone is
 * authenticated.
 */
public class UserRateLimitFilter implements WebFilter {

    private final ApiRateLimits limits;
    private final ProblemWriter problems;

    public UserRateLimitFilter(ApiRateLimits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!ApiPaths.isApi(exchange)) {
            return chain.filter(exchange);
        }
        // Resolved to an Optional first: the chain's own Mono is empty, and must not look like "no user".
        return exchange.getPrincipal()
                .filter(principal -> principal instanceof Authentication a && a.isAuthenticated()
                        && !(a instanceof AnonymousAuthenticationToken) && principal.getName() != null)
                .map(principal -> Optional.of(principal.getName()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(user -> user.isEmpty() ? chain.filter(exchange) : count(user.get(), exchange, chain));
    }

    private Mono<Void> count(String user, ServerWebExchange exchange, WebFilterChain chain) {
        var request = limits.requestBy(user);
        if (!request.allowed()) {
            return RateLimitResponses.refuse(problems, exchange, request, "too many requests");
        }
        if (ApiPaths.isLaunch(exchange)) {
            var launch = limits.launchBy(user);
            if (!launch.allowed()) {
                return RateLimitResponses.refuse(problems, exchange, launch, "too many workspace launches (at most "
                        + limits.limits().launchesPerMinute() + " a minute)");
            }
        }
        return chain.filter(exchange);
    }
}
