package dev.rdeportal.portal.server.security;

import dev.rdeportal.portal.server.web.ProblemWriter;
import dev.rdeportal.domain.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
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
import reactor.core.publisher.Mono;

/**
 * Every {@code /api/v1} call carries a bearer JWT from the configured issuer, verified on every
 * request: signature with an allow-listed algorithm, {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf}. The caller's principal name is their email; bootstrap admins get ROLE_ADMIN. The
 * one exception is the terminal WebSocket, whose credential is a one-time ticket.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                       SecurityProperties properties, ProblemWriter problems) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/api/v1/auth/config").permitAll()
                        // Browsers cannot put a bearer token on a WebSocket: the terminal endpoint
                        // checks the Origin and a one-time ticket itself (tunnel-gateway).
                        .pathMatchers(HttpMethod.GET, "/api/v1/workspaces/*/terminal").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/blueprints").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.PUT, "/api/v1/blueprints/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/clusters/**", "/api/v1/clusters").hasRole("ADMIN")
                        // The controllers check too; this is the second line of defence.
                        .pathMatchers("/api/v1/audit/**", "/api/v1/audit", "/api/v1/admin/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/security/**").hasRole("ADMIN")
                        .pathMatchers("/api/**").authenticated()
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus").permitAll()
                        .pathMatchers("/actuator/**").denyAll()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(authentication(properties)))
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, ErrorCode.UNAUTHENTICATED,
                                "a valid bearer token is required"))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, ErrorCode.FORBIDDEN,
                                "this needs a role you do not have")))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, ErrorCode.UNAUTHENTICATED,
                                "a valid bearer token is required"))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, ErrorCode.FORBIDDEN,
                                "this needs a role you do not have")))
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

    static Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication(SecurityProperties properties) {
        return jwt -> {
            String email = jwt.getClaimAsString(properties.emailClaim());
            if (email == null || email.isBlank()) {
                return Mono.error(new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
                        "the token carries no " + properties.emailClaim() + " claim"));
            }
            Collection<GrantedAuthority> authorities = new ArrayList<>(List.of(new SimpleGrantedAuthority("ROLE_USER")));
            if (properties.admins().contains(email)) {
                authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
            }
            return Mono.just(new JwtAuthenticationToken(jwt, authorities, email));
        };
    }
}
