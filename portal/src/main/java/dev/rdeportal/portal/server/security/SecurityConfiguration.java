package dev.rdeportal.portal.server.security;

import dev.rdeportal.portal.server.ratelimit.ApiRateLimits;
import dev.rdeportal.portal.server.ratelimit.UserRateLimitFilter;
import dev.rdeportal.portal.server.web.ProblemWriter;
import dev.rdeportal.domain.ErrorCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import dev.rdeportal.gateway.preview.MemberCheck;

/**
 * Every {@code /api/v1} call carries a bearer JWT from the configured issuer, verified on every
 * request: signature with an allow-listed algorithm, {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf}. The caller's principal name is their email. Only members use the portal: the
 * {@link MemberDirectory} (in memory) gives members ROLE_MEMBER and admins ROLE_ADMIN on every
 * request, so a role change applies at once; an authenticated non-member gets 403
 * {@code not-a-member} on every {@code /api/**} call but {@code /api/v1/auth/config} and
 * {@code /api/v1/branding}, and the
 * attempt is recorded. The one exception is the terminal WebSocket, whose credential is a one-time
 * ticket (and which checks the workspace's owner).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    @Bean
    MemberDirectory memberDirectory(CommandGateway commands, QueryGateway queries, EventGateway events,
                                    SecurityProperties properties, ObjectProvider<Clock> clock) {
        return new MemberDirectory(commands, queries, events, properties, clock.getIfUnique(Clock::systemUTC));
    }

    /** Published apps are for current members: the gateway asks the same in-memory directory on every request. */
    @Bean
    MemberCheck publishedAppMembers(MemberDirectory members) {
        return email -> members.find(email).map(java.util.Optional::isPresent);
    }

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                       SecurityProperties properties, ProblemWriter problems,
                                       MemberDirectory members, ApiRateLimits rateLimits) {
        ServerAccessDeniedHandler denied = (exchange, e) -> exchange.getPrincipal()
                .filter(principal -> principal instanceof Authentication a && a.getAuthorities().stream()
                        .noneMatch(g -> MEMBER.equals(g.getAuthority())))
                .flatMap(principal -> members.recordRefusal(principal.getName(), target(exchange), clientIp(exchange))
                        .then(problems.write(exchange, ErrorCode.NOT_A_MEMBER, "you are not a member of this portal; "
                                + "ask an admin to invite you")))
                .switchIfEmpty(Mono.defer(() -> problems.write(exchange, ErrorCode.FORBIDDEN,
                        "this needs a role you do not have")));
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/api/v1/auth/config").permitAll()
                        // The sign-in page shows the branding (still counted per address).
                        .pathMatchers(HttpMethod.GET, "/api/v1/branding").permitAll()
                        .pathMatchers("/api/v1/settings", "/api/v1/settings/**").hasRole("ADMIN")
                        // Browsers cannot put a bearer token on a WebSocket: the terminal endpoint
                        // checks the Origin and a one-time ticket itself (tunnel-gateway).
                        .pathMatchers(HttpMethod.GET, "/api/v1/workspaces/*/terminal").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/blueprints").hasRole("ADMIN")
                        .pathMatchers("/api/v1/members", "/api/v1/members/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.PUT, "/api/v1/blueprints/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/clusters/**", "/api/v1/clusters").hasRole("ADMIN")
                        // The controllers check too; this is the second line of defence.
                        .pathMatchers("/api/v1/audit/**", "/api/v1/audit", "/api/v1/admin/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/security/**").hasRole("ADMIN")
                        // A requester takes their own app down; the request aggregate answers 404 to anyone else.
                        .pathMatchers(HttpMethod.POST, "/api/v1/publish-requests/*/unpublish").hasRole("MEMBER")
                        .pathMatchers("/api/v1/publish-requests", "/api/v1/publish-requests/**").hasRole("ADMIN")
                        .pathMatchers("/api/**").hasRole("MEMBER")
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus").permitAll()
                        .pathMatchers("/actuator/**").denyAll()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(authentication(properties, members)))
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, ErrorCode.UNAUTHENTICATED,
                                "a valid bearer token is required"))
                        .accessDeniedHandler(denied))
                // Counted per user once authenticated, before authorisation: refused calls count too.
                .addFilterBefore(new UserRateLimitFilter(rateLimits, problems), SecurityWebFiltersOrder.AUTHORIZATION)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, ErrorCode.UNAUTHENTICATED,
                                "a valid bearer token is required"))
                        .accessDeniedHandler(denied))
                .build();
    }

    /**
     * Keys come from the issuer's JWKS, found by discovery on first use (so the portal starts even
     * if the issuer is briefly unreachable).
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withIssuerLocation(properties.issuerUri())
                .jwsAlgorithms(algorithms -> properties.algorithms().forEach(a -> algorithms.add(SignatureAlgorithm.from(a))))
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuerUri()),
                audience(properties.audience())));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> audience(String audience) {
        OAuth2Error missing = new OAuth2Error("invalid_token", "the token is not meant for this portal", null);
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(missing);
    }

    static final String MEMBER = "ROLE_MEMBER";

    static Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication(SecurityProperties properties,
                                                                            MemberDirectory members) {
        return jwt -> {
            String email = jwt.getClaimAsString(properties.emailClaim());
            if (email == null || email.isBlank()) {
                return Mono.error(new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
                        "the token carries no " + properties.emailClaim() + " claim"));
            }
            return members.admit(email).map(member -> {
                Collection<GrantedAuthority> authorities = new ArrayList<>(List.of(new SimpleGrantedAuthority("ROLE_USER")));
                member.ifPresent(m -> {
                    authorities.add(new SimpleGrantedAuthority(MEMBER));
                    if (m.admin()) {
                        authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
                    }
                });
                return new JwtAuthenticationToken(jwt, authorities, email);
            });
        };
    }

    private static String target(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value().replaceAll("[^\\x21-\\x7e]", "?");
        return "api:" + exchange.getRequest().getMethod().name() + " "
                + (path.length() > 200 ? path.substring(0, 200) + "…" : path);
    }

    private static String clientIp(ServerWebExchange exchange) {
        Object decided = exchange.getAttribute(ClientAddressFilter.CLIENT_IP);
        return decided instanceof String ip ? ip : "unknown";
    }
}
