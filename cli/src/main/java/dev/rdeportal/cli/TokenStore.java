package dev.rdeportal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The access token between invocations: {@code ~/.config/rde/token} (or {@code $RDE_CONFIG_DIR}),
 * readable by its owner only; written to a private temporary file first, so it is never readable
 * by others even for a moment. Tokens are short-lived (minutes): sign in again when one expires.
 */
final class TokenStore {

    private final Path file;

    TokenStore(Path file) {
        this.file = file;
    }

    static TokenStore standard() {
        String dir = System.getenv("RDE_CONFIG_DIR");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".config", "rde");
        return new TokenStore(base.resolve("token"));
    }

    Path file() {
        return file;
    }

    void save(String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".token", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on non-POSIX file systems
            }
            Files.writeString(tmp, token);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Optional<String> load() throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    }
}
