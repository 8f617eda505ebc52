package dev.rdeportal.query.workspace;

import static dev.rdeportal.query.workspace.Workspaces.at;
import static dev.rdeportal.query.workspace.Workspaces.launched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;

import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.topology.TopologyChanges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;

class WorkspaceMetricsTest {

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final WorkspaceProjection projection =
            new WorkspaceProjection(db.jdbc(), SimpleQueryUpdateEmitter.builder().build(), new TopologyChanges());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkspaceMetrics metrics = new WorkspaceMetrics(db.jdbc(), registry);

    @Test
    void everyStatusHasAGaugeWithTheCountAsOfTheLastRefresh() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("w2", "ann@example.com"), at(1), REGULAR);
        projection.on(launched("w3", "bob@example.com"), at(2), REGULAR);
        projection.on(new WorkspaceRunningEvent("w3", "op-w3-1", Map.of()), at(3), REGULAR);

        metrics.refresh();

        assertThat(gauge(WorkspaceStatus.PROVISIONING)).isEqualTo(2);
        assertThat(gauge(WorkspaceStatus.RUNNING)).isEqualTo(1);
        for (WorkspaceStatus status : WorkspaceStatus.values()) {
            assertThat(registry.find(WorkspaceMetrics.METER).tag("status", status.name()).gauge())
                    .as("gauge for %s", status).isNotNull();
        }
        assertThat(gauge(WorkspaceStatus.FAILED)).isZero();
    }

    @Test
    void aStatusThatEmptiesDropsToZeroOnTheNextRefresh() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        metrics.refresh();
        projection.on(new WorkspaceRunningEvent("w1", "op-w1-1", Map.of()), at(1), REGULAR);

        assertThat(gauge(WorkspaceStatus.PROVISIONING)).as("cached until refreshed").isEqualTo(1);
        metrics.refresh();

        assertThat(gauge(WorkspaceStatus.PROVISIONING)).isZero();
        assertThat(gauge(WorkspaceStatus.RUNNING)).isEqualTo(1);
    }

    private double gauge(WorkspaceStatus status) {
        return registry.get(WorkspaceMetrics.METER).tag("status", status.name()).gauge().value();
    }
}
