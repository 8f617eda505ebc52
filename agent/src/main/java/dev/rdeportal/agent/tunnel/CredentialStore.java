package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.io.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** {@code credential.json} and {@code ca.pem} in the agent's data directory. */
public final class CredentialStore {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dataDir;

    public CredentialStore(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Path credentialFile() {
        return dataDir.resolve("credential.json");
    }

    public Path caFile() {
        return dataDir.resolve("ca.pem");
    }

    public Optional<Credential> load() throws IOException {
        Path file = credentialFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonFiles.read(file, Credential.class));
        } catch (IOException | RuntimeException e) {
            // The message of a parse error may quote the file, which holds the secret.
            throw new IOException("read agent credential " + file + ": unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Owner-only from the first byte: the secret is as good as the agent's identity. */
    void save(Credential credential) throws IOException {
        JsonFiles.write(credentialFile(), credential, OWNER_ONLY);
    }

    void saveCa(String pem) throws IOException {
        Path temp = Files.createTempFile(dataDir, ".ca", ".tmp");
        Files.writeString(temp, pem, StandardCharsets.US_ASCII);
        Files.move(temp, caFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
