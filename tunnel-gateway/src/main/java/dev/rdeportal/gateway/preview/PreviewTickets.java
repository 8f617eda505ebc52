package dev.rdeportal.gateway.preview;

import dev.rdeportal.gateway.ticket.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One-time preview tickets: 256 random bits, stored only as their SHA-256, bound to a user, a
 * workspace and a port, valid for a short time. Redeeming deletes the row in the statement that
 * reads it (see {@link Secrets#deleteReturning}), so a ticket works once across replicas, and a
 * ticket presented on the wrong origin is spent all the same: it is one attempt, whatever the
 * outcome.
 */
final class PreviewTickets {

    record Issued(String ticket, Instant expiresAt) {

        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + "]"; // never the ticket
        }
    }

    /** Whom a redeemed ticket was issued to, for what. */
    record Holder(String workspaceId, String clusterId, int port, String user) {
    }

    sealed interface Redemption permits Accepted, Refused {
    }

    record Accepted(Holder holder) implements Redemption {
    }

    /** @param user whom the ticket was issued to, when it was valid but did not fit; else null */
    record Refused(String reason, String user) implements Redemption {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final Secrets secrets;
    private volatile String redeemSql;

    PreviewTickets(JdbcTemplate jdbc, Clock clock, Duration ttl, Secrets secrets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
        this.secrets = secrets;
    }

    /** Issues a ticket; expired ones are swept on the way. Blocking (JDBC). */
    Issued issue(String workspaceId, String clusterId, int port, String user) {
        String ticket = secrets.next();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        jdbc.update("DELETE FROM preview_ticket WHERE expires_at <= ?", Secrets.timestamp(now));
        jdbc.update("INSERT INTO preview_ticket (ticket_hash, workspace_id, cluster_id, port, user_email, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", Secrets.hash(ticket), workspaceId, clusterId, port, user,
                Secrets.timestamp(expiresAt));
        return new Issued(ticket, expiresAt);
    }

    /** Spends a ticket on the origin of {@code origin}. Blocking (JDBC). */
    Redemption redeem(String ticket, PreviewOrigin origin) {
        if (!Secrets.wellFormed(ticket)) {
            return new Refused("malformed ticket", null);
        }
        List<Holder> rows = jdbc.query(redeemSql(),
                (rs, n) -> new Holder(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)),
                Secrets.hash(ticket), Secrets.timestamp(clock.instant()));
        if (rows.isEmpty()) {
            return new Refused("unknown, already used or expired ticket", null);
        }
        Holder holder = rows.get(0);
        if (!holder.workspaceId().equals(origin.workspaceId()) || holder.port() != origin.port()) {
            return new Refused("ticket issued for another preview origin", holder.user());
        }
        return new Accepted(holder);
    }

    private String redeemSql() {
        String sql = redeemSql;
        if (sql == null) {
            sql = Secrets.deleteReturning(jdbc, "preview_ticket", "ticket_hash = ? AND expires_at > ?",
                    "workspace_id, cluster_id, port, user_email");
            redeemSql = sql;
        }
        return sql;
    }
}
