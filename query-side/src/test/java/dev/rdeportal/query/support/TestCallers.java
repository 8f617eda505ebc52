package dev.rdeportal.query.support;

import dev.rdeportal.domain.DomainException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Stand-ins for what the portal puts around the controllers: an authenticated principal (here
 * taken from test headers instead of a verified JWT) and the one place that turns a
 * {@link DomainException} into a response carrying its stable code.
 */
public final class TestCallers {

    public static final String USER_HEADER = "X-Test-User";
    public static final String ADMIN_HEADER = "X-Test-Admin";

    private TestCallers() {
    }

    public static WebFilter principalFromHeaders() {
        return (exchange, chain) -> {
            String user = exchange.getRequest().getHeaders().getFirst(USER_HEADER);
            if (user == null) {
                return chain.filter(exchange);
            }
            boolean admin = "true".equals(exchange.getRequest().getHeaders().getFirst(ADMIN_HEADER));
            TestingAuthenticationToken authentication = new TestingAuthenticationToken(user, "n/a",
                    AuthorityUtils.createAuthorityList(admin ? Caller.ADMIN_AUTHORITY : "ROLE_USER"));
            return chain.filter(exchange.mutate().principal(Mono.just(authentication)).build());
        };
    }

    @RestControllerAdvice
    public static class DomainErrors {

        @ExceptionHandler(DomainException.class)
        ResponseEntity<Map<String, String>> handle(DomainException e) {
            return ResponseEntity.status(HttpStatus.valueOf(e.code().status()))
                    .body(Map.of("code", e.code().code(), "detail", e.getMessage()));
        }
    }
}
