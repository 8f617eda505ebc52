package dev.rdeportal.command.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Encrypts secrets at rest (LLM API keys) with Tink AEAD AES256-GCM.
 *
 * <pre>
 *   master key (32 bytes, from a file or the environment; never stored beside the data)
 *        │ wraps
 *        ▼
 *   data keyset (Tink JSON, encrypted, in rde.secrets.keyset-file)   ── rotate by adding a key
 *        │ encrypts, with associated data = the secret's context ("blueprint:bp-1:llm-api-key")
 *        ▼
 *   ciphertext (base64) in events and read models
 * </pre>
 *
 * The associated data binds each ciphertext to where it belongs: a ciphertext copied to another
 * blueprint fails to decrypt. Messages never include plaintext or ciphertext.
 */
public final class SecretBox {

    private static final byte[] KEYSET_CONTEXT = "rde-portal secrets keyset".getBytes(StandardCharsets.UTF_8);

    private final Aead aead;

    private SecretBox(Aead aead) {
        this.aead = aead;
    }

    /** Opens the keyset at {@code keysetFile}, creating it on first use, wrapped by {@code masterKey}. */
    public static SecretBox open(Path keysetFile, byte[] masterKey) {
        try {
            AeadConfig.register();
            Aead master = masterAead(masterKey);
            KeysetHandle keyset;
            if (Files.exists(keysetFile)) {
                keyset = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                        Files.readString(keysetFile), master, KEYSET_CONTEXT);
            } else {
                keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                writeOwnerOnly(keysetFile, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(keyset, master, KEYSET_CONTEXT));
            }
            return new SecretBox(keyset.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the secrets keyset " + keysetFile
                    + ": wrong master key, or the keyset was altered", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the secrets keyset " + keysetFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds a fresh key to the keyset and makes it primary: new secrets use it, and every older key
     * stays to decrypt what it encrypted (Tink picks the key by the ciphertext's key-id prefix).
     */
    public static void rotate(Path keysetFile, byte[] masterKey) {
        try {
            AeadConfig.register();
            Aead master = masterAead(masterKey);
            KeysetHandle current = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                    Files.readString(keysetFile), master, KEYSET_CONTEXT);
            KeysetHandle rotated = KeysetHandle.newBuilder(current)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            writeOwnerOnly(keysetFile, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(rotated, master, KEYSET_CONTEXT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the secrets keyset " + keysetFile
                    + ": wrong master key, or the keyset was altered", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rotate the secrets keyset " + keysetFile + ": " + e.getMessage(), e);
        }
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] ciphertext = aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypt secret for " + context + " failed", e);
        }
    }

    /** Fails (without revealing anything) when the ciphertext was altered or belongs elsewhere. */
    public String decrypt(String ciphertext, String context) {
        try {
            byte[] plain = aead.decrypt(Base64.getDecoder().decode(ciphertext), context.getBytes(StandardCharsets.UTF_8));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnavailableException("the secret for " + context + " cannot be decrypted here");
        }
    }

    private static Aead masterAead(byte[] masterKey) throws GeneralSecurityException {
        if (masterKey == null || masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes (base64 in configuration)");
        }
        AesGcmParameters parameters = AesGcmParameters.builder()
                .setKeySizeBytes(32)
                .setIvSizeBytes(12)
                .setTagSizeBytes(16)
                .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                .build();
        AesGcmKey key = AesGcmKey.builder()
                .setParameters(parameters)
                .setKeyBytes(SecretBytes.copyFrom(masterKey, InsecureSecretKeyAccess.get()))
                .build();
        return KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
                .build()
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    static void writeOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".secret", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on non-POSIX file systems
            }
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A secret that exists but cannot be decrypted with this portal's keys. */
    public static final class SecretUnavailableException extends RuntimeException {
        public SecretUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
