package dev.rdeportal.portal.server.ratelimit;

import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.portal.server.ratelimit.KeyedRateLimiter.Decision;
import dev.rdeportal.portal.server.web.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** 429 {@code rate-limited} with {@code Retry-After} in whole seconds (the security headers come from their filter). */
final class RateLimitResponses {

    private RateLimitResponses() {
    }

    static Mono<Void> refuse(ProblemWriter problems, ServerWebExchange exchange, Decision decision, String what) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return problems.write(exchange, ErrorCode.RATE_LIMITED,
                what + "; try again in " + decision.retryAfterSeconds() + " s");
    }
}
