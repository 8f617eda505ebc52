package dev.rdeportal.gateway.preview;

import dev.rdeportal.gateway.ticket.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Preview cookie sessions. A redeemed ticket opens one; its cookie is a fresh 256-bit secret
 * stored only as a hash, bound to one preview origin (workspace and port) and one user. A session
 * ends after {@code lifetime}, or after {@code idleTimeout} without requests.
 *
 * <p>Requests and bytes are counted in memory and added to the row every sweep, so serving a
 * request touches the database only when its session is not in the short-lived cache. With several
 * replicas each adds its own counts; the replica whose sweep deletes an ended row reports it with
 * the counts written so far. All methods but {@link #cached}, {@link #find} with a warm cache and
 * {@link #count} block (JDBC).
 */
final class PreviewSessions {

    /** How long a looked-up session is trusted without asking the database again. */
    static final Duration CACHE_TTL = Duration.ofSeconds(5);

    record Session(String sessionId, String hash, String workspaceId, String clusterId, int port, String user,
                   String clientIp, Instant openedAt, Instant expiresAt) {

        PreviewOrigin origin() {
            return new PreviewOrigin(workspaceId, port);
        }
    }

    /** A new session and its cookie value, which exists nowhere else. */
    record Opened(Session session, String cookie) {

        @Override
        public String toString() {
            return "Opened[" + session.sessionId() + "]"; // never the cookie
        }
    }

    record Closed(Session session, Instant closedAt, long requests, long bytesIn, long bytesOut, String reason) {
    }

    private record Cached(Session session, Instant checkedAt) {
    }

    private static final class Usage {
        final LongAdder requests = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final AtomicLong lastSeenMillis = new AtomicLong();
    }

    private static final String COLUMNS = "session_id, session_hash, workspace_id, cluster_id, port, user_email, "
            + "client_ip, opened_at, expires_at, requests, bytes_in, bytes_out, last_seen_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Secrets secrets;
    private final Duration lifetime;
    private final Duration idleTimeout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private volatile String sweepSql;

    PreviewSessions(JdbcTemplate jdbc, Clock clock, Secrets secrets, Duration lifetime, Duration idleTimeout) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.secrets = secrets;
        this.lifetime = lifetime;
        this.idleTimeout = idleTimeout;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** Opens a session for a redeemed ticket. */
    Opened open(PreviewTickets.Holder holder, String clientIp) {
        String cookie = secrets.next();
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID().toString(), Secrets.hash(cookie), holder.workspaceId(),
                holder.clusterId(), holder.port(), holder.user(), clientIp, now, now.plus(lifetime));
        jdbc.update("INSERT INTO preview_session (session_hash, session_id, workspace_id, cluster_id, port, user_email, "
                        + "client_ip, opened_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                session.hash(), session.sessionId(), session.workspaceId(), session.clusterId(), session.port(),
                session.user(), clientIp, Secrets.timestamp(now), Secrets.timestamp(session.expiresAt()),
                Secrets.timestamp(now));
        cache.put(session.hash(), new Cached(session, now));
        return new Opened(session, cookie);
    }

    /**
     * The session a cookie value stands for when the cache can answer alone (never blocks), else
     * null: then {@link #find} must ask the database. Most requests of a page load end here, on
     * the web server's thread, without a hand-off to a blocking-capable one.
     */
    Session cached(String cookie) {
        if (!Secrets.wellFormed(cookie)) {
            return null;
        }
        String hash = Secrets.hash(cookie);
        return fresh(cache.get(hash), hash, clock.instant());
    }

    private Session fresh(Cached cached, String hash, Instant now) {
        return cached != null && now.isBefore(cached.checkedAt().plus(CACHE_TTL)) && live(cached.session(), hash, now)
                ? cached.session() : null;
    }

    /** The live session a cookie value stands for, if any. */
    Optional<Session> find(String cookie) {
        if (!Secrets.wellFormed(cookie)) {
            return Optional.empty();
        }
        String hash = Secrets.hash(cookie);
        Instant now = clock.instant();
        Session hit = fresh(cache.get(hash), hash, now);
        if (hit != null) {
            return Optional.of(hit);
        }
        List<Session> rows = jdbc.query("SELECT " + COLUMNS + " FROM preview_session "
                        + "WHERE session_hash = ? AND expires_at > ? AND last_seen_at > ?",
                (rs, n) -> session(rs), hash, Secrets.timestamp(now), Secrets.timestamp(now.minus(idleTimeout)));
        if (rows.isEmpty()) {
            cache.remove(hash);
            return Optional.empty();
        }
        Session session = rows.get(0);
        cache.put(hash, new Cached(session, now));
        return Optional.of(session);
    }

    private boolean live(Session session, String hash, Instant now) {
        if (!now.isBefore(session.expiresAt())) {
            return false;
        }
        // The database checked idleness when the session was cached; since then only our own use counts.
        Usage used = usage.get(hash);
        return used == null || now.toEpochMilli() - used.lastSeenMillis.get() < idleTimeout.toMillis();
    }

    /** Counts one request (or WebSocket) of a session, and the bytes it moved so far. Never blocks. */
    void count(Session session, long requests, long bytesIn, long bytesOut) {
        Usage used = usage.computeIfAbsent(session.hash(), h -> new Usage());
        used.requests.add(requests);
        used.bytesIn.add(bytesIn);
        used.bytesOut.add(bytesOut);
        used.lastSeenMillis.accumulateAndGet(clock.millis(), Math::max);
    }

    /** Writes the counts gathered since the last flush. */
    void flush() {
        for (Map.Entry<String, Usage> entry : usage.entrySet()) {
            Usage used = entry.getValue();
            long requests = used.requests.sumThenReset();
            long in = used.bytesIn.sumThenReset();
            long out = used.bytesOut.sumThenReset();
            long lastSeen = used.lastSeenMillis.get();
            if (requests == 0 && in == 0 && out == 0) {
                // Nothing new: forget it (the row keeps its last-seen time).
                usage.remove(entry.getKey(), used);
                continue;
            }
            Instant seen = Instant.ofEpochMilli(lastSeen);
            int updated = jdbc.update("UPDATE preview_session SET requests = requests + ?, bytes_in = bytes_in + ?, "
                            + "bytes_out = bytes_out + ?, last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END "
                            + "WHERE session_hash = ?", requests, in, out, Secrets.timestamp(seen), Secrets.timestamp(seen),
                    entry.getKey());
            if (updated == 0) {
                usage.remove(entry.getKey());
            }
        }
    }

    /** Ends the sessions that expired or went idle, after writing the counts; answers them. */
    List<Closed> sweep() {
        flush();
        Instant now = clock.instant();
        List<Closed> closed = jdbc.query(sweepSql(), (rs, n) -> {
            Session session = session(rs);
            Instant lastSeen = rs.getObject(13, java.time.OffsetDateTime.class).toInstant();
            boolean expired = !now.isBefore(session.expiresAt());
            Instant closedAt = expired ? session.expiresAt() : lastSeen.plus(idleTimeout);
            return new Closed(session, closedAt, rs.getLong(10), rs.getLong(11), rs.getLong(12),
                    expired ? "session lifetime of " + lifetime.toMinutes() + " min reached"
                            : "idle for " + idleTimeout.toMinutes() + " min");
        }, Secrets.timestamp(now), Secrets.timestamp(now.minus(idleTimeout)));
        for (Closed c : closed) {
            cache.remove(c.session().hash());
            usage.remove(c.session().hash());
        }
        return closed;
    }

    /**
     * Ends every session on the workspace's previews at once (it stopped, failed or is going away),
     * after writing their counts; answers them. Published apps' sessions are keyed by their request,
     * not the workspace, and are left alone: a published app outlives its workspace.
     */
    List<Closed> closeWorkspace(String workspaceId, String reason) {
        flush();
        Instant now = clock.instant();
        List<Closed> closed = jdbc.query(Secrets.deleteReturning(jdbc, "preview_session", "workspace_id = ?", COLUMNS),
                (rs, n) -> new Closed(session(rs), now, rs.getLong(10), rs.getLong(11), rs.getLong(12), reason),
                workspaceId);
        for (Closed c : closed) {
            cache.remove(c.session().hash());
            usage.remove(c.session().hash());
        }
        return closed;
    }

    private String sweepSql() {
        String sql = sweepSql;
        if (sql == null) {
            sql = Secrets.deleteReturning(jdbc, "preview_session", "expires_at <= ? OR last_seen_at <= ?", COLUMNS);
            sweepSql = sql;
        }
        return sql;
    }

    private static Session session(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), rs.getString(7), rs.getObject(8, java.time.OffsetDateTime.class).toInstant(),
                rs.getObject(9, java.time.OffsetDateTime.class).toInstant());
    }
}
