package dev.rdeportal.query.workspace;

import static dev.rdeportal.query.workspace.Workspaces.SPEC;
import static dev.rdeportal.query.workspace.Workspaces.at;
import static dev.rdeportal.query.workspace.Workspaces.launched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;
import static org.axonframework.eventhandling.ReplayStatus.REPLAY;

import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.Columns;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkspaceProjectionTest {

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final QueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final TopologyChanges topology = new TopologyChanges();
    private WorkspaceProjection projection;

    @BeforeEach
    void setUp() {
        projection = new WorkspaceProjection(db.jdbc(), emitter, topology);
    }

    @Test
    void liveChangesTellTheTopologyAndReplayedOnesDoNot() {
        AtomicInteger notices = new AtomicInteger();
        topology.notices().subscribe(n -> notices.incrementAndGet());
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        assertThat(notices).hasValue(1);
        projection.on(launched("w2", "ann@example.com"), at(0), REPLAY);
        assertThat(notices).hasValue(1);
    }

    @Test
    void launchIsProvisioningWithAPendingProvision() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);

        WorkspaceView view = row("w1");
        assertThat(view.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
        assertThat(view.pendingOperation()).isEqualTo(OperationKind.PROVISION);
        assertThat(view.pendingOperationId()).isEqualTo("op-w1-1");
        assertThat(view.owner()).isEqualTo("ann@example.com");
        assertThat(view.name()).isEqualTo("ws-w1");
        assertThat(view.blueprintId()).isEqualTo("bp-java");
        assertThat(view.clusterId()).isEqualTo("c1");
        assertThat(view.spec()).isEqualTo(SPEC);
        assertThat(view.ports()).isEmpty();
        assertThat(view.statusReason()).isNull();
        assertThat(view.createdAt()).isEqualTo(at(0));
        assertThat(view.updatedAt()).isEqualTo(at(0));
    }

    @Test
    void runningRecordsPortsAndClearsPendingOperationAndReason() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(new WorkspaceFailedEvent("w1", "op-w1-1", "image pull failed"), at(1), REGULAR);
        projection.on(new WorkspaceStartRequestedEvent("w1", "ann@example.com", "op-w1-2", "retry"), at(2), REGULAR);
        projection.on(new WorkspaceRunningEvent("w1", "op-w1-2", Map.of(8080, 31080, 3000, 31000)), at(3), REGULAR);

        WorkspaceView view = row("w1");
        assertThat(view.status()).isEqualTo(WorkspaceStatus.RUNNING);
        assertThat(view.ports()).containsExactlyInAnyOrderEntriesOf(Map.of(8080, 31080, 3000, 31000));
        assertThat(view.pendingOperation()).isNull();
        assertThat(view.pendingOperationId()).isNull();
        assertThat(view.statusReason()).isNull();
        assertThat(view.createdAt()).isEqualTo(at(0));
        assertThat(view.updatedAt()).isEqualTo(at(3));
    }

    @Test
    void stopRequestWaitsForStopThenStoppedSettles() {
        running("w1");
        projection.on(new WorkspaceStopRequestedEvent("w1", "ann@example.com", "op-w1-2", null), at(5), REGULAR);

        WorkspaceView stopping = row("w1");
        assertThat(stopping.status()).isEqualTo(WorkspaceStatus.STOPPING);
        assertThat(stopping.pendingOperation()).isEqualTo(OperationKind.STOP);
        assertThat(stopping.pendingOperationId()).isEqualTo("op-w1-2");

        projection.on(new WorkspaceStoppedEvent("w1", "op-w1-2"), at(6), REGULAR);

        WorkspaceView stopped = row("w1");
        assertThat(stopped.status()).isEqualTo(WorkspaceStatus.STOPPED);
        assertThat(stopped.pendingOperation()).isNull();
        assertThat(stopped.pendingOperationId()).isNull();
        assertThat(stopped.updatedAt()).isEqualTo(at(6));
    }

    @Test
    void aStopRequestsReasonOutlivesTheStop() {
        running("w1");
        projection.on(new WorkspaceStopRequestedEvent("w1", "system", "op-w1-2", "idle for 2h"), at(5), REGULAR);
        projection.on(new WorkspaceStoppedEvent("w1", "op-w1-2", null), at(6), REGULAR);

        assertThat(row("w1").statusReason()).isEqualTo("idle for 2h");
    }

    @Test
    void aStopTheAgentObservedRecordsWhatHappened() {
        running("w1");
        projection.on(new WorkspaceStoppedEvent("w1", null, "start command exited with 1"), at(5), REGULAR);

        WorkspaceView view = row("w1");
        assertThat(view.status()).isEqualTo(WorkspaceStatus.STOPPED);
        assertThat(view.statusReason()).isEqualTo("start command exited with 1");
        assertThat(view.pendingOperation()).isNull();
    }

    @Test
    void startRequestIsProvisioningWithAPendingStartAndTheRequestsReason() {
        running("w1");
        projection.on(new WorkspaceStopRequestedEvent("w1", "ann@example.com", "op-w1-2", null), at(5), REGULAR);
        projection.on(new WorkspaceStoppedEvent("w1", "op-w1-2"), at(6), REGULAR);
        projection.on(new WorkspaceStartRequestedEvent("w1", "system", "op-w1-3", "agent reported it missing"),
                at(7), REGULAR);

        WorkspaceView view = row("w1");
        assertThat(view.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
        assertThat(view.pendingOperation()).isEqualTo(OperationKind.START);
        assertThat(view.pendingOperationId()).isEqualTo("op-w1-3");
        assertThat(view.statusReason()).isEqualTo("agent reported it missing");
    }

    @Test
    void deleteRequestWaitsForDeleteThenDeletedSettles() {
        running("w1");
        projection.on(new WorkspaceDeleteRequestedEvent("w1", "ann@example.com", "op-w1-2", null), at(5), REGULAR);

        WorkspaceView deleting = row("w1");
        assertThat(deleting.status()).isEqualTo(WorkspaceStatus.DELETING);
        assertThat(deleting.pendingOperation()).isEqualTo(OperationKind.DELETE);
        assertThat(deleting.pendingOperationId()).isEqualTo("op-w1-2");

        projection.on(new WorkspaceDeletedEvent("w1", "op-w1-2"), at(6), REGULAR);

        WorkspaceView deleted = row("w1");
        assertThat(deleted.status()).isEqualTo(WorkspaceStatus.DELETED);
        assertThat(deleted.pendingOperation()).isNull();
    }

    @Test
    void failureRecordsTheReasonAndDropsThePendingOperation() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(new WorkspaceFailedEvent("w1", "op-w1-1", "no agent answered within 5m"), at(5), REGULAR);

        WorkspaceView view = row("w1");
        assertThat(view.status()).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(view.statusReason()).isEqualTo("no agent answered within 5m");
        assertThat(view.pendingOperation()).isNull();
        assertThat(view.pendingOperationId()).isNull();
    }

    @Test
    void aNewRequestReplacesTheOldReason() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(new WorkspaceFailedEvent("w1", "op-w1-1", "image pull failed"), at(1), REGULAR);
        projection.on(new WorkspaceDeleteRequestedEvent("w1", "ann@example.com", "op-w1-2", null), at(2), REGULAR);

        assertThat(row("w1").statusReason()).isNull();
    }

    @Test
    void handlingTheSameEventsAgainLeavesTheSameRow() {
        var launch = launched("w1", "ann@example.com");
        var run = new WorkspaceRunningEvent("w1", "op-w1-1", Map.of(8080, 31080));
        var stop = new WorkspaceStopRequestedEvent("w1", "ann@example.com", "op-w1-2", "idle");

        projection.on(launch, at(0), REGULAR);
        projection.on(launch, at(0), REGULAR);
        assertThat(rawRows()).hasSize(1);

        projection.on(run, at(1), REGULAR);
        Map<String, Object> afterRun = rawRows().get(0);
        projection.on(run, at(1), REGULAR);
        assertThat(rawRows()).containsExactly(afterRun);

        projection.on(stop, at(2), REGULAR);
        Map<String, Object> afterStop = rawRows().get(0);
        projection.on(stop, at(2), REGULAR);
        assertThat(rawRows()).containsExactly(afterStop);
    }

    @Test
    void resetEmptiesTheReadModelForAReplay() {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("w2", "bob@example.com"), at(1), REGULAR);

        projection.reset();

        assertThat(rawRows()).isEmpty();
        // and the replay rebuilds it from scratch
        projection.on(launched("w1", "ann@example.com"), at(0), REPLAY);
        assertThat(row("w1").status()).isEqualTo(WorkspaceStatus.PROVISIONING);
    }

    @Test
    void eventForAnUnknownWorkspaceIsSkippedWithoutCreatingARow() {
        projection.on(new WorkspaceStoppedEvent("ghost", "op-1"), at(0), REGULAR);

        assertThat(rawRows()).isEmpty();
    }

    @Test
    void eachChangeReachesTheOwnersAndTheWorkspacesSubscribersOnly() {
        UpdateHandlerRegistration<Object> annsList = subscribe(new FindOwnedWorkspacesQuery("ann@example.com"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class));
        UpdateHandlerRegistration<Object> bobsList = subscribe(new FindOwnedWorkspacesQuery("bob@example.com"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class));
        UpdateHandlerRegistration<Object> w1 = subscribe(new FindWorkspaceQuery("w1"),
                ResponseTypes.optionalInstanceOf(WorkspaceView.class));

        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);
        projection.on(new WorkspaceRunningEvent("w1", "op-w1-1", Map.of(8080, 31080)), at(1), REGULAR);
        projection.on(launched("w2", "bob@example.com"), at(2), REGULAR);
        List.of(annsList, bobsList, w1).forEach(UpdateHandlerRegistration::complete);

        assertThat(statuses(annsList)).containsExactly(WorkspaceStatus.PROVISIONING, WorkspaceStatus.RUNNING);
        assertThat(statuses(w1)).containsExactly(WorkspaceStatus.PROVISIONING, WorkspaceStatus.RUNNING);
        assertThat(updates(bobsList)).extracting(WorkspaceView::id).containsExactly("w2");
        // the pushed state is the stored row, not a partial change
        assertThat(updates(w1).get(1)).isEqualTo(row("w1"));
    }

    @Test
    void aReplayShowsLiveSubscribersNothing() {
        UpdateHandlerRegistration<Object> annsList = subscribe(new FindOwnedWorkspacesQuery("ann@example.com"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class));

        projection.on(launched("w1", "ann@example.com"), at(0), REPLAY);
        projection.on(new WorkspaceRunningEvent("w1", "op-w1-1", Map.of()), at(1), REPLAY);
        annsList.complete();

        assertThat(updates(annsList)).isEmpty();
        assertThat(row("w1").status()).isEqualTo(WorkspaceStatus.RUNNING);
    }

    private void running(String id) {
        projection.on(launched(id, "ann@example.com"), at(0), REGULAR);
        projection.on(new WorkspaceRunningEvent(id, "op-" + id + "-1", Map.of(8080, 31080)), at(1), REGULAR);
    }

    private WorkspaceView row(String id) {
        return db.jdbc().queryForObject("SELECT " + WorkspaceRows.COLUMNS + " FROM workspace_view WHERE id = ?",
                (rs, n) -> WorkspaceRows.toView(Columns.of(rs)), id);
    }

    private List<Map<String, Object>> rawRows() {
        return db.jdbc().queryForList("SELECT * FROM workspace_view ORDER BY id");
    }

    private UpdateHandlerRegistration<Object> subscribe(Object query, ResponseType<?> initial) {
        return emitter.registerUpdateHandler(new GenericSubscriptionQueryMessage<>(query, initial,
                ResponseTypes.instanceOf(WorkspaceView.class)), 64);
    }

    private static List<WorkspaceView> updates(UpdateHandlerRegistration<Object> registration) {
        return registration.getUpdates()
                .map(SubscriptionQueryUpdateMessage::getPayload)
                .cast(WorkspaceView.class)
                .collectList()
                .block(Duration.ofSeconds(5));
    }

    private static List<WorkspaceStatus> statuses(UpdateHandlerRegistration<Object> registration) {
        return updates(registration).stream().map(WorkspaceView::status).toList();
    }
}
