package dev.rdeportal.portal.server.security;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

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
 * @param members    bootstrap members with the user role, by email: made members on start if they
 *                   are not (never changed afterwards)
 * @param autoJoinDomains email domains whose authenticated users become {@code user} members on
 *                   their first call (e.g. {@code example.com}); none by default
 */
@ConfigurationProperties("rde.security")
public record SecurityProperties(String issuerUri, String audience, String emailClaim, Set<String> admins,
                                 List<String> algorithms, List<String> trustedProxies,
                                 String uiClientId, Set<String> members, Set<String> autoJoinDomains) {

    public SecurityProperties(String issuerUri, String audience, String emailClaim, Set<String> admins,
                              List<String> algorithms, List<String> trustedProxies, String uiClientId) {
        this(issuerUri, audience, emailClaim, admins, algorithms, trustedProxies, uiClientId, Set.of(), Set.of());
    }

    @ConstructorBinding
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
        admins = admins == null ? Set.of() : normalized(admins);
        members = members == null ? Set.of() : normalized(members);
        autoJoinDomains = autoJoinDomains == null ? Set.of() : normalized(autoJoinDomains);
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256") : List.copyOf(algorithms);
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().filter(p -> p != null && !p.isBlank()).map(String::trim).toList();
        if (uiClientId == null || uiClientId.isBlank()) {
            uiClientId = "rde-ui";
        }
        // Fails the start with the offending entry rather than ignoring a proxy we were told to trust.
        new TrustedProxies(trustedProxies);
    }

    /** Lower-case, trimmed, blanks dropped (an empty value on the command line means none). */
    private static Set<String> normalized(Set<String> values) {
        return values.stream().filter(v -> v != null && !v.isBlank()).map(v -> v.trim().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
