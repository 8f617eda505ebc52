package dev.rdeportal.portal.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.portal.server.security.ClientAddressFilter;
import dev.rdeportal.portal.server.security.SecurityProperties;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The headers on answers the running portal cannot be made to give on demand: an unexpected 500
 * from the problem handler, and HSTS for a client that came over TLS. (The integration test checks
 * 200, 401, 403 and 404 on the running portal and its identity provider.)
 */
class SecurityHeadersFilterTest {

    static final SecurityProperties SECURITY = new SecurityProperties("http://localhost:9000", null, null, Set.of(),
            null, List.of(), null);

    final WebTestClient client = WebTestClient.bindToRouterFunction(RouterFunctions
                    .route()
                    .GET("/api/v1/boom", request -> {
                        throw new IllegalStateException("secret internals");
                    })
                    .GET("/api/v1/ok", request -> ServerResponse.ok().bodyValue("{}"))
                    .build())
            .webFilter(new SecurityHeadersFilter(SECURITY))
            .webFilter((exchange, chain) -> {
                if (exchange.getRequest().getHeaders().containsHeader("X-Test-Tls")) {
                    exchange.getAttributes().put(ClientAddressFilter.SECURE, true);
                }
                return chain.filter(exchange);
            })
            .handlerStrategies(HandlerStrategies.builder()
                    .exceptionHandler(new ProblemExceptionHandler(new ProblemWriter(JsonMapper.builder().build())))
                    .build())
            .build();

    @Test
    void anUnexpectedFailureStillCarriesTheHeaders() {
        HttpHeaders headers = client.get().uri("/api/v1/boom").exchange()
                .expectStatus().isEqualTo(500)
                .expectBody().jsonPath("$.code").isEqualTo("internal-error")
                .returnResult().getResponseHeaders();
        assertSecurityHeaders(headers);
        assertThat(headers.getFirst("Content-Security-Policy")).isEqualTo(SecurityHeadersFilter.API_POLICY);
    }

    @Test
    void hstsOnlyUnderTls() {
        assertThat(client.get().uri("/api/v1/ok").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().containsHeader("Strict-Transport-Security")).isFalse();
        HttpHeaders tls = client.get().uri("/api/v1/ok").header("X-Test-Tls", "1").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders();
        assertThat(tls.getFirst("Strict-Transport-Security")).isEqualTo(SecurityHeadersFilter.HSTS);
        assertSecurityHeaders(tls);
    }

    @Test
    void theUiGetsAStrictPolicyThatLetsItReachTheIssuer() {
        String policy = SecurityHeadersFilter.uiPolicy("http://[::1]:9000/realms/rde");
        assertThat(policy).contains("script-src 'self';").contains("connect-src 'self' http://[::1]:9000;")
                .contains("frame-ancestors 'none'");
    }

    static void assertSecurityHeaders(HttpHeaders headers) {
        assertThat(headers.getFirst("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(headers.getFirst("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
        assertThat(headers.getFirst("Permissions-Policy")).contains("camera=()");
    }
}
