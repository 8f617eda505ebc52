package dev.rdeportal.query.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Walks a large table in key order as a series of short queries ({@code key > last ORDER BY key
 * LIMIT n}), each read with a JDBC fetch size of one chunk. Memory stays at one chunk whatever the
 * range. Chosen over one long cursor because a cursor on PostgreSQL needs a transaction that stays
 * open for the whole export (pinning the vacuum horizon of a busy event store for minutes), and H2
 * computes a whole result before handing out its first row.
 */
final class KeysetScan {

    static final int CHUNK = 1000;

    /** One row; answer false to stop the scan. */
    interface RowVisitor {
        boolean visit(ResultSet rs) throws SQLException;
    }

    private KeysetScan() {
    }

    /**
     * @param sql  a query whose last two parameters are "key greater than" and the row limit, ordered
     *             by that key: {@code ... WHERE ... AND k > ? ORDER BY k LIMIT ?}
     * @param args the parameters before those two
     * @param key  the column holding the key, read back to continue after the last row
     */
    static void scan(JdbcTemplate jdbc, String sql, List<Object> args, String key, long after, RowVisitor visitor) {
        long last = after;
        while (true) {
            List<Object> params = new ArrayList<>(args);
            params.add(last);
            params.add(CHUNK);
            Chunk chunk = jdbc.query(connection -> {
                var statement = connection.prepareStatement(sql);
                statement.setFetchSize(CHUNK);
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                return statement;
            }, rs -> {
                int rows = 0;
                long lastKey = -1;
                while (rs.next()) {
                    rows++;
                    lastKey = rs.getLong(key);
                    if (!visitor.visit(rs)) {
                        return new Chunk(rows, lastKey, true);
                    }
                }
                return new Chunk(rows, lastKey, false);
            });
            if (chunk == null || chunk.stopped() || chunk.rows() < CHUNK) {
                return;
            }
            last = chunk.lastKey();
        }
    }

    private record Chunk(int rows, long lastKey, boolean stopped) {
    }
}
