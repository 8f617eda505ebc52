package dev.rdeportal.query.audit;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rde.audit.*}.
 *
 * @param signingKeysetFile     the Ed25519 keyset that signs the chain head, encrypted with the
 *                              secrets master key ({@code rde.secrets.*}); created on first use
 * @param chainCatchUpThreshold at start, a chain at least this many events behind links them in bulk
 *                              ({@link AuditChainCatchUp}) before its processor starts; default 1,000
 */
@ConfigurationProperties("rde.audit")
record AuditProperties(Path signingKeysetFile, Long chainCatchUpThreshold) {

    AuditProperties {
        if (signingKeysetFile == null) {
            signingKeysetFile = Path.of("data", "audit", "signing-keyset.json");
        }
        if (chainCatchUpThreshold == null) {
            chainCatchUpThreshold = 1_000L;
        }
    }
}
