package dev.rdeportal.gateway.terminal;

import dev.rdeportal.gateway.ticket.Secrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One-time terminal tickets: 256 random bits, handed to the caller once, stored only as their
 * SHA-256, bound to a user and a workspace, valid for a short time.
 *
 * <p>Redemption is one SQL statement that deletes the row and returns it, so two replicas (or two
 * connections) racing with the same ticket cannot both win: the database lets exactly one delete
 * see the row. PostgreSQL says it {@code DELETE ... RETURNING}; H2, which has no RETURNING, reads
 * the deleted rows from a data-change delta table ({@code OLD TABLE (DELETE ...)}), equally atomic.
 */
public final class TerminalTickets {


    public record Issued(String ticket, Instant expiresAt) {

        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + "]"; // never the ticket
        }
    }

    /** Whom a redeemed ticket was issued to, for what. */
    public record Holder(String workspaceId, String clusterId, String user) {
    }

    public sealed interface Redemption permits Accepted, Refused {
    }

    public record Accepted(Holder holder) implements Redemption {
    }

    /** @param user whom the ticket was issued to, when it was valid but did not fit; else null */
    public record Refused(String reason, String user) implements Redemption {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final Secrets secrets;
    private volatile String redeemSql;

    public TerminalTickets(JdbcTemplate jdbc, Clock clock, Duration ttl, SecureRandom random) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
        this.secrets = new Secrets(random);
    }

    /** Issues a ticket; expired tickets are swept on the way, so the table stays small. Blocking (JDBC). */
    public Issued issue(String workspaceId, String clusterId, String user) {
        String ticket = secrets.next();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        jdbc.update("DELETE FROM terminal_ticket WHERE expires_at <= ?", timestamp(now));
        jdbc.update("INSERT INTO terminal_ticket (ticket_hash, workspace_id, cluster_id, user_email, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)", Secrets.hash(ticket), workspaceId, clusterId, user, timestamp(expiresAt));
        return new Issued(ticket, expiresAt);
    }

    /** Spends a ticket for a workspace. Blocking (JDBC). */
    public Redemption redeem(String ticket, String workspaceId) {
        if (!Secrets.wellFormed(ticket)) {
            return new Refused("malformed ticket", null);
        }
        List<Holder> rows = jdbc.query(redeemSql(),
                (rs, n) -> new Holder(rs.getString(1), rs.getString(2), rs.getString(3)),
                Secrets.hash(ticket), timestamp(clock.instant()));
        if (rows.isEmpty()) {
            return new Refused("unknown, already used or expired ticket", null);
        }
        Holder holder = rows.get(0);
        if (!holder.workspaceId().equals(workspaceId)) {
            // Spent all the same: a ticket is one attempt, whatever the outcome.
            return new Refused("ticket issued for another workspace", holder.user());
        }
        return new Accepted(holder);
    }

    private String redeemSql() {
        String sql = redeemSql;
        if (sql == null) {
            sql = Secrets.deleteReturning(jdbc, "terminal_ticket", "ticket_hash = ? AND expires_at > ?",
                    "workspace_id, cluster_id, user_email");
            redeemSql = sql;
        }
        return sql;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return Secrets.timestamp(instant);
    }
}
