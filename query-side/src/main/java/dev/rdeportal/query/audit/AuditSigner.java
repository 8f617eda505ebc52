package dev.rdeportal.query.audit;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.util.SecretBytes;
import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Signs the chain head with the portal's Ed25519 key (Tink, raw output: a plain 64-byte Ed25519
 * signature any library verifies). The keyset lives in its own file, encrypted with the secrets
 * master key.
 *
 * <p>The master key is resolved exactly as the command side's {@code SecretsConfiguration} does
 * ({@code rde.secrets.master-key}, else {@code rde.secrets.master-key-file}, else
 * {@code master.key} beside {@code rde.secrets.keyset-file}). That small duplication is deliberate:
 * the query side may not depend on the command side. Unlike the command side this never generates a
 * master key: the command side creates it at start-up, and two generators could race.
 *
 * <p>The signed message is the UTF-8 text {@code rde-audit-head/1\n<sequence>\n<link>\n<signedAt>}.
 */
@Component
class AuditSigner {

    static final String ALGORITHM = "Ed25519";

    private static final byte[] KEYSET_CONTEXT = "rde-portal audit signing keyset".getBytes(StandardCharsets.UTF_8);
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final AuditProperties properties;
    private final Environment environment;
    private Signer signer;

    AuditSigner(AuditProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** {@code GET /api/v1/audit/head}. */
    record SignedHead(long sequence, long position, String link, Instant signedAt, String algorithm,
                      String signature, String publicKey) {
    }

    SignedHead sign(VerificationReport.Head head, Instant at) {
        Signer s = signer();
        String message = message(head.sequence(), head.link(), at);
        try {
            byte[] signature = s.sign().sign(message.getBytes(StandardCharsets.UTF_8));
            return new SignedHead(head.sequence(), head.position(), head.link(), at, ALGORITHM,
                    Base64.getEncoder().encodeToString(signature), Base64.getEncoder().encodeToString(s.publicKey()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing the audit chain head failed", e);
        }
    }

    static String message(long sequence, String link, Instant signedAt) {
        return "rde-audit-head/1\n" + sequence + "\n" + link + "\n" + signedAt;
    }

    private record Signer(PublicKeySign sign, byte[] publicKey) {
    }

    /** Opened on first use, when the command side has long created the master key. */
    private synchronized Signer signer() {
        if (signer == null) {
            signer = open(properties.signingKeysetFile(), masterKey());
        }
        return signer;
    }

    private static Signer open(Path file, byte[] masterKey) {
        try {
            SignatureConfig.register();
            AeadConfig.register();
            Aead master = masterAead(masterKey);
            KeysetHandle keyset;
            if (Files.exists(file)) {
                keyset = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(Files.readString(file), master, KEYSET_CONTEXT);
            } else {
                keyset = KeysetHandle.generateNew(Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX));
                writeOwnerOnly(file, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(keyset, master, KEYSET_CONTEXT));
            }
            Ed25519PublicKey key = (Ed25519PublicKey) keyset.getPublicKeysetHandle().getPrimary().getKey();
            byte[] raw = key.getPublicKeyBytes().toByteArray();
            byte[] spki = new byte[SPKI_PREFIX.length + raw.length];
            System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
            System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
            return new Signer(keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class), spki);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the audit signing keyset " + file
                    + ": wrong master key, or the keyset was altered", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the audit signing keyset " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private byte[] masterKey() {
        String inline = environment.getProperty("rde.secrets.master-key");
        if (inline != null && !inline.isBlank()) {
            return Base64.getDecoder().decode(inline.trim());
        }
        String named = environment.getProperty("rde.secrets.master-key-file");
        Path file = named != null && !named.isBlank() ? Path.of(named)
                : Path.of(environment.getProperty("rde.secrets.keyset-file", "data/secrets/keyset.json"))
                        .toAbsolutePath().getParent().resolve("master.key");
        try {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new DomainException(ErrorCode.UNAVAILABLE, "the audit signing key is not available yet: "
                    + "no secrets master key (rde.secrets.master-key or its file)");
        }
    }

    private static Aead masterAead(byte[] masterKey) throws GeneralSecurityException {
        if (masterKey.length != 32) {
            throw new IllegalStateException("the secrets master key must be 32 bytes (base64 in configuration)");
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

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keyset", ".tmp");
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
}
