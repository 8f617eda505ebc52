package dev.rdeportal.command.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void roundTripsAndNeverStoresThePlaintext() throws Exception {
        byte[] master = key();
        SecretBox box = SecretBox.open(dir.resolve("keyset.json"), master);
        String ciphertext = box.encrypt("sk-live-123", "blueprint:bp-1:llm-api-key");
        assertThat(ciphertext).doesNotContain("sk-live-123");
        assertThat(box.decrypt(ciphertext, "blueprint:bp-1:llm-api-key")).isEqualTo("sk-live-123");
        // Reopened from disk with the same master key: the same keyset decrypts.
        assertThat(SecretBox.open(dir.resolve("keyset.json"), master).decrypt(ciphertext, "blueprint:bp-1:llm-api-key"))
                .isEqualTo("sk-live-123");
        assertThat(Files.readString(dir.resolve("keyset.json"))).doesNotContain(Base64.getEncoder().encodeToString(master));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keyset.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aCiphertextSwappedToAnotherBlueprintFailsToDecrypt() {
        SecretBox box = SecretBox.open(dir.resolve("keyset.json"), key());
        String forOne = box.encrypt("sk-one", "blueprint:bp-1:llm-api-key");
        assertThatThrownBy(() -> box.decrypt(forOne, "blueprint:bp-2:llm-api-key"))
                .isInstanceOf(SecretBox.SecretUnavailableException.class)
                .hasMessageNotContaining("sk-one");
    }

    @Test
    void anAlteredCiphertextFailsToDecrypt() {
        SecretBox box = SecretBox.open(dir.resolve("keyset.json"), key());
        byte[] raw = Base64.getDecoder().decode(box.encrypt("sk-one", "ctx"));
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> box.decrypt(Base64.getEncoder().encodeToString(raw), "ctx"))
                .isInstanceOf(SecretBox.SecretUnavailableException.class);
    }

    @Test
    void afterRotationOldAndNewKeysBothDecrypt() {
        byte[] master = key();
        Path keyset = dir.resolve("keyset.json");
        String old = SecretBox.open(keyset, master).encrypt("sk-old", "ctx");
        SecretBox.rotate(keyset, master);
        SecretBox rotated = SecretBox.open(keyset, master);
        String fresh = rotated.encrypt("sk-new", "ctx");
        assertThat(rotated.decrypt(old, "ctx")).isEqualTo("sk-old");
        assertThat(rotated.decrypt(fresh, "ctx")).isEqualTo("sk-new");
        // Tink's 5-byte prefix names the key: the new secret is under the new primary key.
        byte[] oldPrefix = java.util.Arrays.copyOf(Base64.getDecoder().decode(old), 5);
        byte[] newPrefix = java.util.Arrays.copyOf(Base64.getDecoder().decode(fresh), 5);
        assertThat(newPrefix).isNotEqualTo(oldPrefix);
    }

    @Test
    void theKeysetDoesNotOpenWithAnotherMasterKey() {
        SecretBox.open(dir.resolve("keyset.json"), key());
        assertThatThrownBy(() -> SecretBox.open(dir.resolve("keyset.json"), key()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong master key");
    }
}
