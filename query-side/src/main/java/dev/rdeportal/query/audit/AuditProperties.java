package dev.rdeportal.query.audit;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rde.audit.*}.
 *
 * @param signingKeysetFile the Ed25519 keyset that signs the chain head, encrypted with the
 *                          secrets master key ({@code rde.secrets.*}); created on first use
 */
@ConfigurationProperties("rde.audit")
record AuditProperties(Path signingKeysetFile) {

    AuditProperties {
        if (signingKeysetFile == null) {
            signingKeysetFile = Path.of("data", "audit", "signing-keyset.json");
        }
    }
}
