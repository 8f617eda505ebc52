package dev.rdeportal.gateway.ticket;

import dev.rdeportal.proto.JoinToken;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * 256-bit secrets as base64url (43 characters), their stored form (SHA-256 hex), and the one SQL
 * statement that deletes rows and returns them, which is what makes a ticket single-use even with
 * several portal replicas on one database: PostgreSQL says {@code DELETE ... RETURNING}; H2, which
 * has no RETURNING, reads the deleted rows from a data-change delta table
 * ({@code SELECT ... FROM OLD TABLE (DELETE ...)}), equally atomic.
 */
public final class Secrets {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    public Secrets(SecureRandom random) {
        this.random = random;
    }

    /** A fresh secret: 32 random bytes, base64url without padding. */
    public String next() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return ENCODER.encodeToString(secret);
    }

    /** Whether {@code value} could be a secret of ours at all (checked before any lookup). */
    public static boolean wellFormed(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    /** The stored form of a secret. */
    public static String hash(String secret) {
        return JoinToken.sha256Hex(secret);
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * {@code DELETE FROM table WHERE condition}, returning {@code columns} of the deleted rows, in
     * the database's dialect.
     */
    public static String deleteReturning(JdbcTemplate jdbc, String table, String condition, String columns) {
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        boolean h2 = product != null && product.toLowerCase(Locale.ROOT).contains("h2");
        return h2
                ? "SELECT " + columns + " FROM OLD TABLE (DELETE FROM " + table + " WHERE " + condition + ")"
                : "DELETE FROM " + table + " WHERE " + condition + " RETURNING " + columns;
    }
}
