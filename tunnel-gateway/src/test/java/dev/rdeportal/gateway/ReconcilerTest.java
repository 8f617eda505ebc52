package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.PublishedApp;
import dev.rdeportal.proto.v1.WorkspacePhase;
import dev.rdeportal.proto.v1.WorkspaceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReconcilerTest {

    private final AtomicInteger ids = new AtomicInteger();
    private final Reconciler reconciler = new Reconciler(() -> "new-op-" + ids.incrementAndGet());

    @ParameterizedTest
    @EnumSource(value = WorkspaceStatus.class, names = {"PENDING", "PROVISIONING", "STOPPING", "DELETING"})
    void pendingOperationIsResentWithItsOwnId(WorkspaceStatus status) {
        WorkspaceView view = view("w-1", status, "op-7", OperationKind.STOP);

        List<Reconciler.Action> actions = reconciler.reconcile(List.of(view), List.of(state("w-1",
                WorkspacePhase.WORKSPACE_PHASE_RUNNING)));

        assertThat(actions).singleElement().isInstanceOfSatisfying(Reconciler.SendOperation.class, send -> {
            assertThat(send.orphanCleanup()).isFalse();
            assertThat(send.operation().getOperationId()).isEqualTo("op-7");
            assertThat(send.operation().getKind()).isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_STOP);
            assertThat(send.operation().getSpec().getWorkspaceId()).isEqualTo("w-1");
            assertThat(send.operation().getSpec().getImage()).isEqualTo("ubuntu:24.04");
            assertThat(send.operation().getSpec().getPortsList()).containsExactly(3000);
        });
        assertThat(ids).hasValue(0);
    }

    @Test
    void pendingProvisionIsResentWhenTheAgentHasNothingYet() {
        List<Reconciler.Action> actions = reconciler.reconcile(
                List.of(view("w-1", WorkspaceStatus.PROVISIONING, "op-1", OperationKind.PROVISION)), List.of());

        assertThat(actions).singleElement().isInstanceOfSatisfying(Reconciler.SendOperation.class,
                send -> assertThat(send.operation().getOperationId()).isEqualTo("op-1"));
    }

    @Test
    void runningAndRunningNeedsNothing() {
        assertThat(reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.RUNNING)),
                List.of(state("w-1", WorkspacePhase.WORKSPACE_PHASE_RUNNING)))).isEmpty();
    }

    @Test
    void runningButStoppedOnTheAgentIsReportedStopped() {
        assertThat(observed(view("w-1", WorkspaceStatus.RUNNING), state("w-1", WorkspacePhase.WORKSPACE_PHASE_STOPPED)))
                .isEqualTo(new ReconcileWorkspaceCommand("w-1", ObservedPhase.STOPPED,
                        "agent reports the workspace stopped", "new-op-1"));
    }

    @Test
    void runningButFailedOnTheAgentIsReportedFailedWithTheAgentsReason() {
        WorkspaceState failed = state("w-1", WorkspacePhase.WORKSPACE_PHASE_FAILED).toBuilder()
                .setReason("image pull failed").build();

        assertThat(observed(view("w-1", WorkspaceStatus.RUNNING), failed))
                .isEqualTo(new ReconcileWorkspaceCommand("w-1", ObservedPhase.FAILED, "image pull failed", "new-op-1"));
    }

    @Test
    void runningButAbsentFromTheInventoryIsReportedMissing() {
        List<Reconciler.Action> actions = reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.RUNNING)), List.of());

        assertThat(actions).singleElement().isEqualTo(new Reconciler.ReportObservation(new ReconcileWorkspaceCommand(
                "w-1", ObservedPhase.MISSING, "agent has no trace of the workspace", "new-op-1")));
    }

    @Test
    void runningButReportedMissingCountsAsAbsent() {
        assertThat(observed(view("w-1", WorkspaceStatus.RUNNING), state("w-1", WorkspacePhase.WORKSPACE_PHASE_MISSING))
                .observed()).isEqualTo(ObservedPhase.MISSING);
    }

    @Test
    void stoppedButRunningOnTheAgentIsReportedRunning() {
        assertThat(observed(view("w-1", WorkspaceStatus.STOPPED), state("w-1", WorkspacePhase.WORKSPACE_PHASE_RUNNING))
                .observed()).isEqualTo(ObservedPhase.RUNNING);
    }

    @Test
    void stoppedButAbsentIsReportedMissing() {
        List<Reconciler.Action> actions = reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.STOPPED)), List.of());

        assertThat(actions).singleElement().isInstanceOfSatisfying(Reconciler.ReportObservation.class,
                r -> assertThat(r.command().observed()).isEqualTo(ObservedPhase.MISSING));
    }

    @Test
    void stoppedAndStoppedOrFailedNeedsNothing() {
        assertThat(reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.STOPPED), view("w-2", WorkspaceStatus.STOPPED)),
                List.of(state("w-1", WorkspacePhase.WORKSPACE_PHASE_STOPPED),
                        state("w-2", WorkspacePhase.WORKSPACE_PHASE_FAILED)))).isEmpty();
    }

    @Test
    void deletedWorkspaceStillOnTheAgentIsDeletedWithANewOperation() {
        List<Reconciler.Action> actions = reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.DELETED)),
                List.of(state("w-1", WorkspacePhase.WORKSPACE_PHASE_STOPPED)));

        assertThat(actions).singleElement().isInstanceOfSatisfying(Reconciler.SendOperation.class, send -> {
            assertThat(send.orphanCleanup()).isTrue();
            assertThat(send.operation().getOperationId()).isEqualTo("new-op-1");
            assertThat(send.operation().getKind())
                    .isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_DELETE);
            assertThat(send.operation().getSpec().getWorkspaceId()).isEqualTo("w-1");
        });
    }

    @Test
    void deletedAndGoneNeedsNothing() {
        assertThat(reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.DELETED)), List.of())).isEmpty();
    }

    @Test
    void workspaceUnknownToTheControlPlaneIsDeleted() {
        List<Reconciler.Action> actions = reconciler.reconcile(List.of(),
                List.of(state("w-stray", WorkspacePhase.WORKSPACE_PHASE_RUNNING)));

        assertThat(actions).singleElement().isInstanceOfSatisfying(Reconciler.SendOperation.class, send -> {
            assertThat(send.orphanCleanup()).isTrue();
            assertThat(send.workspaceId()).isEqualTo("w-stray");
            assertThat(send.operation().getKind())
                    .isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_DELETE);
            assertThat(send.operation().getOperationId()).isEqualTo("new-op-1");
        });
    }

    @Test
    void unknownWorkspaceTheAgentReportsMissingIsLeftAlone() {
        assertThat(reconciler.reconcile(List.of(), List.of(state("w-x", WorkspacePhase.WORKSPACE_PHASE_MISSING))))
                .isEmpty();
    }

    @Test
    void failedWorkspaceIsLeftAlone() {
        assertThat(reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.FAILED), view("w-2", WorkspaceStatus.FAILED)),
                List.of(state("w-1", WorkspacePhase.WORKSPACE_PHASE_RUNNING)))).isEmpty();
    }

    @Test
    void phaseTheAgentDidNotStateIsNotActedUpon() {
        assertThat(reconciler.reconcile(List.of(view("w-1", WorkspaceStatus.RUNNING)),
                List.of(state("w-1", WorkspacePhase.WORKSPACE_PHASE_UNSPECIFIED)))).isEmpty();
    }

    @Test
    void everyWorkspaceOfAClusterIsDecidedInOnePass() {
        List<Reconciler.Action> actions = reconciler.reconcile(
                List.of(view("w-run", WorkspaceStatus.RUNNING),
                        view("w-prov", WorkspaceStatus.PROVISIONING, "op-p", OperationKind.PROVISION),
                        view("w-del", WorkspaceStatus.DELETED)),
                List.of(state("w-run", WorkspacePhase.WORKSPACE_PHASE_RUNNING),
                        state("w-del", WorkspacePhase.WORKSPACE_PHASE_RUNNING),
                        state("w-orphan", WorkspacePhase.WORKSPACE_PHASE_STOPPED)));

        assertThat(actions).extracting(Reconciler.Action::workspaceId).containsExactly("w-prov", "w-del", "w-orphan");
    }

    private ReconcileWorkspaceCommand observed(WorkspaceView view, WorkspaceState state) {
        List<Reconciler.Action> actions = reconciler.reconcile(List.of(view), List.of(state));
        assertThat(actions).singleElement().isInstanceOf(Reconciler.ReportObservation.class);
        return ((Reconciler.ReportObservation) actions.get(0)).command();
    }

    static WorkspaceView view(String id, WorkspaceStatus status) {
        return view(id, status, null, null);
    }

    static WorkspaceView view(String id, WorkspaceStatus status, String pendingOperationId, OperationKind pending) {
        return new WorkspaceView(id, "name-" + id, "bp-1", "c1", "dev@example.com", status, null, pendingOperationId,
                pending, new WorkspaceSpec("ubuntu:24.04", 500, 1024, 10, List.of(3000), Map.of("A", "b"), "sleep"),
                Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    static WorkspaceState state(String id, WorkspacePhase phase) {
        return WorkspaceState.newBuilder().setWorkspaceId(id).setPhase(phase).build();
    }

    // ---- published apps (1.6)

    private static PublishedApp app(String publishId, WorkspacePhase phase) {
        return PublishedApp.newBuilder().setPublishId(publishId).setName("shop-" + publishId).setPhase(phase).build();
    }

    private static PublishRequestView request(String id, String cluster, PublishStatus status) {
        return new PublishRequestView(id, "w-1", "shop", cluster, "bp-1", "ann@example.com", 8000, "", "serve",
                "shop-" + id, status, null, null, Instant.EPOCH, null, false, "op-" + id, null, null);
    }

    @Test
    void appsWhoseRequestIsUnknownElsewhereOrNoLongerPublishedAreRemovedAndTheRestLeftAlone() {
        Map<String, PublishRequestView> requests = new java.util.HashMap<>();
        for (PublishStatus status : PublishStatus.values()) {
            requests.put(status.name(), request(status.name(), "c1", status));
        }
        requests.put("other-cluster", request("other-cluster", "c2", PublishStatus.PUBLISHED));
        List<PublishedApp> apps = new java.util.ArrayList<>();
        for (PublishStatus status : PublishStatus.values()) {
            apps.add(app(status.name(), WorkspacePhase.WORKSPACE_PHASE_RUNNING));
        }
        apps.add(app("other-cluster", WorkspacePhase.WORKSPACE_PHASE_RUNNING));
        apps.add(app("unknown", WorkspacePhase.WORKSPACE_PHASE_STOPPED));
        apps.add(app("gone", WorkspacePhase.WORKSPACE_PHASE_MISSING));

        List<Operation> removals = reconciler.orphanApps("c1", apps, requests);

        assertThat(removals).extracting(o -> o.getPublish().getPublishId())
                .containsExactly("PENDING", "REJECTED", "UNPUBLISHED", "other-cluster", "unknown");
        assertThat(removals).allSatisfy(o -> {
            assertThat(o.getKind()).isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_UNPUBLISH);
            assertThat(o.getOperationId()).startsWith("new-op-");
            assertThat(o.getPublish().getName()).isEqualTo("shop-" + o.getPublish().getPublishId());
        });
        assertThat(removals.get(2).getSpec().getWorkspaceId()).as("a known request's workspace").isEqualTo("w-1");
        assertThat(removals.get(4).getSpec().getWorkspaceId()).as("an unknown request's").isEmpty();
    }
}
