package dev.rdeportal.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * 200,000 events exported with flat memory. The database is an H2 file (not in memory, so the
 * table itself does not sit in this heap). Heap in use is sampled after a full GC every 20,000
 * entries while the export writes into a counting sink: it must stay within 32 MiB of what it was
 * before, while the export is several times larger than that. An implementation that collected
 * the entries (or the output) would hold at least the output's size.
 */
class AuditExportMemoryTest {

    static final int EVENTS = 200_000;
    static final long BOUND = 32L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aLargeRangeStreamsInBoundedMemory() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("events") + ";MODE=PostgreSQL");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        EventStoreRows.createTable(jdbc);
        // ~700 bytes of payload per event, all in one statement
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "SELECT 'e-' || X, STRINGTOUTF8('{\"actor\":\"ann@example.com\",\"clientIp\":\"10.0.0.1\"}'), "
                + "STRINGTOUTF8('{\"workspaceId\":\"w-' || X || '\",\"reason\":\"' || REPEAT('x', 650) || '\"}'), '1', "
                + "'dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent', '2025-03-01T09:00:00.000Z', "
                + "'w-' || X, 0, 'Workspace' FROM SYSTEM_RANGE(1, " + EVENTS + ")");

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long[] peak = {0};
        CountingSink sink = new CountingSink(() -> peak[0] = Math.max(peak[0], usedAfterGc(memory) - before));

        long written = new AuditLog(jdbc).export(AuditFilter.all(), AuditExportFormat.JSONL, sink);

        assertThat(written).isEqualTo(EVENTS);
        assertThat(sink.lines).isEqualTo(EVENTS);
        assertThat(sink.bytes).as("the export dwarfs the bound").isGreaterThan(4 * BOUND);
        assertThat(peak[0]).as("heap growth while exporting %d bytes", sink.bytes).isLessThan(BOUND);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Counts bytes and lines, keeps nothing; samples the heap every 20,000 lines. */
    private static final class CountingSink extends OutputStream {
        private final Runnable sample;
        long bytes;
        long lines;

        CountingSink(Runnable sample) {
            this.sample = sample;
        }

        @Override
        public void write(int b) {
            count(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                count(b[i]);
            }
        }

        private void count(int b) {
            bytes++;
            if (b == '\n' && ++lines % 20_000 == 0) {
                sample.run();
            }
        }
    }
}
