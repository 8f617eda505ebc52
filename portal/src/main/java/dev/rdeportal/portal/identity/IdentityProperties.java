package dev.rdeportal.portal.identity;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded identity provider ({@code rde.identity.*}).
 *
 * @param issuer          the issuer URL tokens carry (default {@code http://localhost:<port>})
 * @param users           local users; passwords may carry a {@code {bcrypt}} style prefix, a bare
 *                        one is taken as plain text (demo users only)
 * @param uiRedirectUris  where {@code rde-ui} may return after sign-in
 * @param allowedOrigins  browser origins that may call the token endpoint (the portal's)
 * @param audience        the {@code aud} every access token carries, which the portal requires
 */
@ConfigurationProperties("rde.identity")
public record IdentityProperties(
        boolean embedded,
        int port,
        String issuer,
        List<User> users,
        List<String> uiRedirectUris,
        List<String> allowedOrigins,
        String audience,
        Duration accessTokenTtl) {

    public IdentityProperties {
        if (port <= 0) {
            port = 9000;
        }
        if (issuer == null || issuer.isBlank()) {
            issuer = "http://localhost:" + port;
        }
        users = users == null ? List.of() : List.copyOf(users);
        uiRedirectUris = uiRedirectUris == null || uiRedirectUris.isEmpty()
                ? List.of("http://localhost:8080/", "http://localhost:8080/callback") : List.copyOf(uiRedirectUris);
        allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty()
                ? List.of("http://localhost:8080") : List.copyOf(allowedOrigins);
        if (audience == null || audience.isBlank()) {
            audience = "rde-portal";
        }
        if (accessTokenTtl == null) {
            accessTokenTtl = Duration.ofMinutes(5);
        }
        if (accessTokenTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("rde.identity.access-token-ttl must be at most 10 minutes");
        }
    }

    /** A local user; the email is the user name and the identity the portal sees. */
    public record User(String email, String password, String name) {

        @Override
        public String toString() {
            return "User[" + email + "]";
        }
    }
}
