package dev.rdeportal.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Instant;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A long history with a small present: 50,000 workspaces launched and deleted, ~70 MB of
 * payload, replayed to a state that holds nothing. The table is an H2 file, so it does not sit in
 * this heap. Heap in use is sampled after a full GC every 10,000 events (from a pass-through
 * upcaster, which sees every event the replay reads): it must stay within 32 MiB of what it was
 * before. A replay that loaded the rows, or kept deleted workspaces, would hold several times that.
 */
class AccessReplayMemoryTest {

    static final int WORKSPACES = 50_000;
    static final long BOUND = 32L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void memoryFollowsTheStateNotTheHistory() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("events") + ";MODE=PostgreSQL");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        EventStoreRows.createTable(jdbc);
        String columns = "INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, "
                + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) ";
        jdbc.update(columns + "SELECT 2 * X - 1, 'l-' || X, STRINGTOUTF8('{}'), "
                + "STRINGTOUTF8('{\"workspaceId\":\"w-' || X || '\",\"owner\":\"ann@example.com\",\"name\":\"'"
                + " || REPEAT('n', 1300) || '\",\"blueprintId\":\"bp-1\",\"clusterId\":\"c1\",\"operationId\":\"o\"}'), "
                + "'1', 'dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent', '2025-03-01T09:00:00.000Z', "
                + "'w-' || X, 0, 'Workspace' FROM SYSTEM_RANGE(1, " + WORKSPACES + ")");
        jdbc.update(columns + "SELECT 2 * X, 'd-' || X, STRINGTOUTF8('{}'), "
                + "STRINGTOUTF8('{\"workspaceId\":\"w-' || X || '\",\"operationId\":\"o\"}'), "
                + "'1', 'dev.rdeportal.domain.workspace.WorkspaceDeletedEvent', '2025-03-01T09:00:01.000Z', "
                + "'w-' || X, 1, 'Workspace' FROM SYSTEM_RANGE(1, " + WORKSPACES + ")");

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long[] seen = {0};
        long[] peak = {0};
        EventUpcaster sampling = events -> events.peek(e -> {
            if (++seen[0] % 10_000 == 0) {
                peak[0] = Math.max(peak[0], usedAfterGc(memory) - before);
            }
        });
        AccessReplay replay = new AccessReplay(jdbc, JacksonSerializer.defaultSerializer(), sampling);

        AccessReport report = replay.at(Instant.parse("2025-03-01T10:00:00Z"), null);

        assertThat(seen[0]).isEqualTo(2L * WORKSPACES);
        assertThat(peak[0]).as("heap growth while replaying").isLessThan(BOUND);
        assertThat(report.sequence()).isEqualTo(2L * WORKSPACES);
        assertThat(report.unreadable()).isZero();
        assertThat(report.workspaces()).isEmpty();
        AccessReport halfway = replay.at(Instant.parse("2025-03-01T09:00:00.500Z"), null);
        assertThat(halfway.workspaces()).as("the launches alone, before any delete").hasSize(WORKSPACES);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
