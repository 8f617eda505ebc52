package dev.rdeportal.proto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A one-time join token: {@code rde1.<clusterId>.<secret>.<caFingerprint>}.
 *
 * <p>The secret is 256 random bits (base64url, no padding); only its SHA-256 is ever stored. The CA
 * fingerprint is the lower-case hex SHA-256 of the gateway CA certificate's DER encoding, so an
 * agent can pin a private CA on first contact without a separate file (as kubeadm's discovery hash
 * does). {@link #toString()} never shows the secret.
 */
public record JoinToken(String clusterId, String secret, String caFingerprint) {

    private static final String PREFIX = "rde1";
    private static final Pattern CLUSTER = Pattern.compile("[a-z]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public JoinToken {
        if (clusterId == null || !CLUSTER.matcher(clusterId).matches()
                || secret == null || !SECRET.matcher(secret).matches()
                || caFingerprint == null || !FINGERPRINT.matcher(caFingerprint).matches()) {
            throw new IllegalArgumentException("malformed join token");
        }
    }

    public static JoinToken generate(String clusterId, String caFingerprint) {
        return new JoinToken(clusterId, randomSecret(), caFingerprint);
    }

    /** Parses a token; the exception message never contains the input. */
    public static JoinToken parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("malformed join token");
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("malformed join token");
        }
        return new JoinToken(parts[1], parts[2], parts[3]);
    }

    /** The token as handed to an admin, once. */
    public String encode() {
        return PREFIX + "." + clusterId + "." + secret + "." + caFingerprint;
    }

    /** What the control plane stores and compares. */
    public String secretHash() {
        return sha256Hex(secret);
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String value) {
        return sha256Hex(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "JoinToken[cluster=" + clusterId + ", ca=" + caFingerprint.substring(0, 12) + "…]";
    }
}
