package dev.rdeportal.query.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit log, read from the event store itself rather than from a projection: what the log
 * shows is exactly what the chain protects.
 */
@Component
class AuditLog {

    /** Before every global index, even one forged at 0 or below: the log hides nothing. */
    static final long START = Long.MIN_VALUE;

    /** Rows one page request may read while the actor filter keeps rejecting them. */
    static final int SCAN_BUDGET = 10_000;

    private final JdbcTemplate jdbc;

    AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param next the sequence to continue after; null at the end of the history */
    record Page(List<AuditEntry> items, Long next) {
    }

    /**
     * Up to {@code limit} entries after sequence {@code after}. A page may hold fewer entries and
     * still have a {@code next}: with an actor filter, a page stops after {@link #SCAN_BUDGET} rows
     * so that one request never scans the whole history.
     */
    Page page(AuditFilter filter, long after, int limit) {
        List<AuditEntry> items = new ArrayList<>();
        long[] scanned = {0, after};
        boolean[] more = {false};
        visit(filter, after, row -> {
            AuditEntry entry = AuditEntries.of(row);
            if (filter.matches(entry)) {
                if (items.size() == limit) {
                    more[0] = true;
                    return false;
                }
                items.add(entry);
            }
            scanned[1] = row.globalIndex();
            if (++scanned[0] >= SCAN_BUDGET) {
                more[0] = true;
                return false;
            }
            return true;
        });
        Long next = !more[0] ? null : items.size() == limit ? items.get(limit - 1).sequence() : scanned[1];
        return new Page(items, next);
    }

    /** Writes every matching entry to {@code out} as it is read; returns the number written. */
    long export(AuditFilter filter, AuditExportFormat format, OutputStream out) {
        try (AuditExportFormat.Writer writer = format.open(out)) {
            long[] written = {0};
            visit(filter, START, row -> {
                AuditEntry entry = AuditEntries.of(row);
                if (filter.matches(entry)) {
                    writer.write(entry);
                    written[0]++;
                }
                return true;
            });
            return written[0];
        } catch (IOException e) {
            throw new UncheckedIOException("audit export interrupted: " + e.getMessage(), e);
        }
    }

    interface EventVisitor {
        boolean visit(StoredEvent row) throws IOException;
    }

    private void visit(AuditFilter filter, long after, EventVisitor visitor) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        String sql = "SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry e WHERE " + where
                + "e.global_index > ? ORDER BY e.global_index LIMIT ?";
        KeysetScan.scan(jdbc, sql, args, "global_index", after, rs -> {
            try {
                return visitor.visit(StoredEvent.read(rs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
