package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.WorkspaceStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code rde.workspaces{status=...}}: how many workspaces are in each status, one gauge per
 * {@link WorkspaceStatus} (zero included, so dashboards see a status drain to nothing).
 *
 * <p>The gauges read cached counts that a scheduled task refreshes every 15 s: a scrape may run
 * on an event-loop thread, where a JDBC query must not, and a busy scraper must not turn into
 * database load.
 */
@Component
class WorkspaceMetrics {

    static final String METER = "rde.workspaces";

    private static final Logger log = LoggerFactory.getLogger("rde.query.metrics");

    private final JdbcTemplate jdbc;
    private final Map<WorkspaceStatus, AtomicLong> counts = new EnumMap<>(WorkspaceStatus.class);

    WorkspaceMetrics(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        for (WorkspaceStatus status : WorkspaceStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder(METER, count, AtomicLong::get)
                    .tag("status", status.name())
                    .description("Workspaces in each status, as of the last refresh (every 15 s)")
                    .register(registry);
        }
    }

    @Scheduled(fixedRate = 15, timeUnit = TimeUnit.SECONDS)
    void refresh() {
        Map<WorkspaceStatus, Long> fresh = new EnumMap<>(WorkspaceStatus.class);
        try {
            jdbc.query("SELECT status, COUNT(*) AS n FROM workspace_view GROUP BY status", rs -> {
                fresh.put(WorkspaceStatus.valueOf(rs.getString("status")), rs.getLong("n"));
            });
        } catch (RuntimeException e) {
            // A database hiccup must not kill the schedule; the gauges keep their last values.
            log.warn("counting workspaces by status failed: {}", e.getMessage());
            return;
        }
        counts.forEach((status, count) -> count.set(fresh.getOrDefault(status, 0L)));
    }
}
