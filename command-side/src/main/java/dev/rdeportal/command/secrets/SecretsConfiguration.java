package dev.rdeportal.command.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
class SecretsConfiguration {

    private static final Logger log = LoggerFactory.getLogger("rde.secrets");

    @Bean
    SecretBox secretBox(SecretsProperties properties) throws IOException {
        byte[] masterKey = masterKey(properties);
        if (properties.rotateOnStart() && Files.exists(properties.keysetFile())) {
            SecretBox.rotate(properties.keysetFile(), masterKey);
            log.info("rotated the secrets keyset {}: new secrets use a new key, older ones still decrypt",
                    properties.keysetFile());
        }
        return SecretBox.open(properties.keysetFile(), masterKey);
    }

    private static byte[] masterKey(SecretsProperties properties) throws IOException {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            return Base64.getDecoder().decode(properties.masterKey().trim());
        }
        Path file = properties.masterKeyFile() != null ? properties.masterKeyFile()
                : properties.keysetFile().toAbsolutePath().getParent().resolve("master.key");
        if (Files.exists(file)) {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        }
        if (properties.masterKeyFile() != null) {
            throw new IllegalStateException("rde.secrets.master-key-file " + file + " does not exist");
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        SecretBox.writeOwnerOnly(file, Base64.getEncoder().encodeToString(generated));
        log.warn("generated a master key for secrets at rest in {}: fine for the embedded default; in production "
                + "set rde.secrets.master-key (e.g. RDE_SECRETS_MASTER_KEY from your secret manager) and keep it "
                + "away from the database and its backups", file);
        return generated;
    }
}
