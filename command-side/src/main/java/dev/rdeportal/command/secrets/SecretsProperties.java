package dev.rdeportal.command.secrets;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where secrets at rest get their keys ({@code rde.secrets.*}).
 *
 * @param masterKey     the master key, base64 of 32 bytes (e.g. from {@code RDE_SECRETS_MASTER_KEY})
 * @param masterKeyFile a file holding it instead; without either, one is generated under
 *                      {@code ./data/secrets} for the embedded default
 * @param keysetFile    the encrypted data keyset
 * @param rotateOnStart add a new primary key to the keyset on this start (older keys keep
 *                      decrypting what they encrypted); set it for one start, then remove it
 */
@ConfigurationProperties("rde.secrets")
public record SecretsProperties(String masterKey, Path masterKeyFile, Path keysetFile, boolean rotateOnStart) {

    public SecretsProperties {
        if (keysetFile == null) {
            keysetFile = Path.of("data", "secrets", "keyset.json");
        }
    }

    @Override
    public String toString() {
        return "SecretsProperties[masterKey=" + (masterKey == null ? "unset" : "set") + ", masterKeyFile="
                + masterKeyFile + ", keysetFile=" + keysetFile + "]";
    }
}
