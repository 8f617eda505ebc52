package dev.rdeportal.portal.server.security;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the portal trusts callers ({@code rde.security.*}).
 *
 * @param issuerUri  the OIDC issuer whose tokens are accepted (the embedded one by default)
 * @param audience   the {@code aud} a token must carry
 * @param emailClaim the claim that names the user
 * @param admins     bootstrap administrators, by email
 * @param algorithms JWS algorithms accepted; anything else (and {@code none}) is refused
 * @param trustedProxies networks of our own reverse proxies, whose {@code X-Forwarded-For} is
 *                   believed (IPv4 or IPv6 CIDRs or single addresses); none by default
 * @param uiClientId the OIDC client the web UI signs in as ({@code rde-ui}; register it with an
 *                   external provider as a public client with PKCE)
 */
@ConfigurationProperties("rde.security")
public record SecurityProperties(String issuerUri, String audience, String emailClaim, Set<String> admins,
                                 List<String> algorithms, List<String> trustedProxies,
                                 String uiClientId) {

    public SecurityProperties {
        if (issuerUri == null || issuerUri.isBlank()) {
            throw new IllegalArgumentException("rde.security.issuer-uri is required");
        }
        if (audience == null || audience.isBlank()) {
            audience = "rde-portal";
        }
        if (emailClaim == null || emailClaim.isBlank()) {
            emailClaim = "email";
        }
        admins = admins == null ? Set.of() : Set.copyOf(admins);
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256") : List.copyOf(algorithms);
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().filter(p -> p != null && !p.isBlank()).map(String::trim).toList();
        if (uiClientId == null || uiClientId.isBlank()) {
            uiClientId = "rde-ui";
        }
        // Fails the start with the offending entry rather than ignoring a proxy we were told to trust.
        new TrustedProxies(trustedProxies);
    }
}
