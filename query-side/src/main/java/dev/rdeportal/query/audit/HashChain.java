package dev.rdeportal.query.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link function of the audit chain (format described in {@code package-info}). The encoding is
 * written straight into the digest, so linking a million events allocates no per-event buffers.
 * Changing anything here invalidates every recorded chain: a new format needs a new prefix.
 */
final class HashChain {

    static final byte[] GENESIS = new byte[32];

    private static final byte[] FORMAT = "rde-audit/1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private HashChain() {
    }

    /** One link; to link many in a row, keep a {@link Linker}. */
    static byte[] link(byte[] previous, StoredEvent event) {
        return new Linker().link(previous, event);
    }

    /**
     * Links events one after another with one digest and one encoder: no per-event lookup of the
     * algorithm. Not thread-safe.
     */
    static final class Linker {
        private final MessageDigest sha256 = sha256();
        private final DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));

        byte[] link(byte[] previous, StoredEvent event) {
            sha256.reset();
            sha256.update(previous);
            try {
                writeCanonical(event, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sha256.digest();
        }
    }

    static byte[] canonical(StoredEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeCanonical(event, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String hex(byte[] link) {
        return HEX.formatHex(link);
    }

    static byte[] unhex(String link) {
        return HEX.parseHex(link);
    }

    private static void writeCanonical(StoredEvent e, DataOutputStream out) throws IOException {
        out.write(FORMAT);
        out.writeLong(e.globalIndex());
        out.writeLong(e.sequenceNumber());
        string(out, e.eventIdentifier());
        string(out, e.aggregateIdentifier());
        string(out, e.payloadType());
        string(out, e.payloadRevision());
        string(out, e.timeStamp());
        bytes(out, e.payload());
        bytes(out, e.metaData());
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        bytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length);
        out.write(value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
