package dev.rdeportal.portal.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.CrossOriginOpenerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The embedded identity provider: Spring Authorization Server with local users, for the default
 * install. Public first-party clients {@code rde-ui} and {@code rde-cli} use authorization code +
 * PKCE without a consent screen; {@code rde-cli} may use a loopback redirect on any port (RFC 8252).
 * Only the auto-configuration a servlet authorization server needs is imported: this context must
 * not pick up the control plane's database, Axon or gRPC beans that share the classpath.
 */
@SpringBootConfiguration
@EnableWebSecurity
@EnableConfigurationProperties(IdentityProperties.class)
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ConfigurationPropertiesAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        SecurityAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class})
public class IdentityProviderApplication {

    public static final String UI_CLIENT = "rde-ui";
    public static final String CLI_CLIENT = "rde-cli";
    private static final Logger log = LoggerFactory.getLogger("rde.identity");

    /** The bean of Spring Security's servlet configuration that installs its Reactor hook. */
    static final String REACTOR_CONTEXT_HOOK_BEAN = "securityReactorContextSubscriberRegistrar";

    /**
     * Leaves out Spring Security's servlet hook into Reactor ({@code Hooks.onLastOperator}): it
     * wraps every reactive chain in the JVM to carry a servlet request's security context into
     * reactive HTTP clients. This context has none, and the hook is JVM-wide, so it wrapped every
     * chain of the reactive portal beside it instead: 3-4% of the portal's CPU per preview request
     * (bench/RESULTS.md, session 6).
     */
    @Bean
    static BeanDefinitionRegistryPostProcessor withoutServletSecurityReactorHook() {
        return registry -> {
            if (registry.containsBeanDefinition(REACTOR_CONTEXT_HOOK_BEAN)) {
                registry.removeBeanDefinition(REACTOR_CONTEXT_HOOK_BEAN);
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(authorizationServer, server -> server.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .cors(Customizer.withDefaults())
                .headers(IdentityProviderApplication::securityHeaders)
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/error").permitAll()
                        .anyRequest().authenticated())
                .cors(Customizer.withDefaults())
                .headers(IdentityProviderApplication::securityHeaders)
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    /**
     * The same headers as the portal's ({@code SecurityHeadersFilter}), on every response of both
     * chains, errors included (Spring Security also runs on the error dispatch). No
     * {@code form-action}: browsers apply it to the redirects after the login form, which end at
     * a client's callback on another origin (a loopback port for the CLI). HSTS (Spring Security's
     * default) is written only on requests that came over TLS.
     */
    static void securityHeaders(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(String.join("; ",
                        "default-src 'self'",
                        "script-src 'self'",
                        // The generated login page styles itself inline.
                        "style-src 'self' 'unsafe-inline'",
                        "img-src 'self' data:",
                        "object-src 'none'",
                        "base-uri 'none'",
                        "frame-ancestors 'none'")))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .crossOriginOpenerPolicy(coop -> coop.policy(
                        CrossOriginOpenerPolicyHeaderWriter.CrossOriginOpenerPolicy.SAME_ORIGIN))
                .permissionsPolicyHeader(permissions -> permissions.policy(
                        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"));
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(IdentityProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/oauth2/**", cors);
        source.registerCorsConfiguration("/.well-known/**", cors);
        source.registerCorsConfiguration("/userinfo", cors);
        source.registerCorsConfiguration("/connect/logout", cors);
        return source;
    }

    @Bean
    UserDetailsService users(IdentityProperties properties) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        boolean plain = false;
        for (IdentityProperties.User user : properties.users()) {
            String password = user.password() == null ? "" : user.password();
            if (!password.startsWith("{")) {
                plain = true;
                password = "{noop}" + password;
            }
            manager.createUser(User.withUsername(user.email()).password(password).passwordEncoder(p -> p)
                    .roles("USER").build());
        }
        if (plain) {
            log.warn("some local users have plain-text passwords: fine for the demo users, use {bcrypt} hashes otherwise");
        }
        return manager;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    RegisteredClientRepository clients(IdentityProperties properties) {
        TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(properties.accessTokenTtl()).build();
        ClientSettings firstParty = ClientSettings.builder()
                .requireProofKey(true)
                .requireAuthorizationConsent(false)
                .build();
        RegisteredClient ui = RegisteredClient.withId(UUID.nameUUIDFromBytes(UI_CLIENT.getBytes()).toString())
                .clientId(UI_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUris(uris -> uris.addAll(properties.uiRedirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(properties.uiRedirectUris()))
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(firstParty)
                .tokenSettings(tokens)
                .build();
        // Loopback IP literals: the authorization server ignores the port (RFC 8252 section 7.3).
        RegisteredClient cli = RegisteredClient.withId(UUID.nameUUIDFromBytes(CLI_CLIENT.getBytes()).toString())
                .clientId(CLI_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("http://127.0.0.1/callback")
                .redirectUri("http://[::1]/callback")
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(firstParty)
                .tokenSettings(tokens)
                .build();
        return new InMemoryRegisteredClientRepository(ui, cli);
    }

    /** Access tokens name the portal as audience and carry the user's email. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(IdentityProperties properties) {
        return context -> {
            String email = context.getPrincipal().getName();
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                context.getClaims()
                        .audience(List.of(properties.audience(), context.getRegisteredClient().getClientId()))
                        .claim("email", email);
            } else {
                context.getClaims().claim("email", email);
            }
        };
    }

    /** A fresh signing key per start: access tokens live minutes, so nothing is lost but sessions. */
    @Bean
    JWKSource<SecurityContext> signingKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** For the OIDC user-info endpoint. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> signingKeys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(signingKeys);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }
}
