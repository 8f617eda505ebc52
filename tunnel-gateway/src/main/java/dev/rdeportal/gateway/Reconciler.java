package dev.rdeportal.gateway;

import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.PublishedApp;
import dev.rdeportal.proto.v1.WorkspacePhase;
import dev.rdeportal.proto.v1.WorkspaceState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compares what the control plane believes about a cluster's workspaces (the read model's
 * {@link WorkspaceView}s) with what the agent reports it has (the inventory in its {@code Hello}),
 * and says what to do about each difference. Pure: no I/O, and new operation ids come from the
 * supplier it is given, so the same input always yields the same actions.
 *
 * <p>The gateway does not decide workspace state itself: where the desired state is in question it
 * reports the observation with a {@link ReconcileWorkspaceCommand} and the workspace aggregate
 * decides. It acts directly only to re-send what is already decided, and to clean up what the
 * control plane has no (live) record of.
 *
 * <p>Rules, per workspace:
 * <ol>
 *   <li><b>Pending operation</b> — the view names a pending operation (status {@code PENDING},
 *       {@code PROVISIONING}, {@code STOPPING} or {@code DELETING}): re-send that operation with the
 *       <em>same</em> id. The agent's idempotency journal applies an id at most once and answers a
 *       duplicate with the result it recorded, so a re-send is always safe.</li>
 *   <li><b>View RUNNING</b>, nothing pending: inventory RUNNING — nothing; inventory STOPPED, FAILED,
 *       MISSING or absent — {@code ReconcileWorkspaceCommand} with STOPPED, FAILED or MISSING (the
 *       aggregate restarts a stopped workspace and marks a missing one FAILED).</li>
 *   <li><b>View STOPPED</b>, nothing pending: inventory RUNNING — reconcile RUNNING; inventory
 *       MISSING or absent — reconcile MISSING; inventory STOPPED or FAILED — nothing (nothing runs,
 *       the next start will surface any damage).</li>
 *   <li><b>View DELETED</b>, but the agent still has it: send a DELETE operation with a new id
 *       straight to the agent (orphan clean-up).</li>
 *   <li><b>Unknown to the control plane</b>: a workspace in the inventory without a view is an
 *       orphan too, and gets a DELETE with a new id. (The view of a workspace is written when it
 *       is launched, before any operation reaches an agent, so only a read model lagging by the
 *       whole launch could make a live workspace look unknown.)</li>
 *   <li><b>View FAILED</b>: nothing; the user decides (delete, or start again).</li>
 *   <li>Anything else (a transitional status without a pending operation) is left alone: an
 *       operation for it is on its way and will be reconciled by its own result.</li>
 * </ol>
 * Inventory entries that state no phase ({@code UNSPECIFIED}) are not acted upon, except as
 * orphans: the gateway does not guess a state the agent did not report. An inventory entry with
 * phase MISSING counts as absent.
 *
 * <p>Published apps (1.6, {@link #orphanApps}): an app the agent has whose publish request is
 * unknown, on another cluster, PENDING, REJECTED or UNPUBLISHED gets an UNPUBLISH with a new id.
 * APPROVED and UNPUBLISHING requests have an operation on its way (re-sent on reconnect);
 * PUBLISHED ones are what should run; FAILED ones are left to their owner, as failed workspaces are.
 */
final class Reconciler {

    /** What reconciliation asks the gateway to do. */
    sealed interface Action {
        String workspaceId();
    }

    /** Send an operation on the agent's control stream. */
    record SendOperation(String workspaceId, Operation operation, boolean orphanCleanup) implements Action {
    }

    /** Tell the workspace aggregate what the agent observed; it decides. */
    record ReportObservation(ReconcileWorkspaceCommand command) implements Action {
        @Override
        public String workspaceId() {
            return command.workspaceId();
        }
    }

    private static final Set<WorkspaceStatus> AWAITING_OPERATION = EnumSet.of(
            WorkspaceStatus.PENDING, WorkspaceStatus.PROVISIONING, WorkspaceStatus.STOPPING,
            WorkspaceStatus.DELETING);

    /** Publish requests whose app, if the agent has one, should not be there. */
    private static final Set<PublishStatus> ORPHANED_BY = EnumSet.of(PublishStatus.PENDING, PublishStatus.REJECTED,
            PublishStatus.UNPUBLISHED);

    private final Supplier<String> newOperationId;

    Reconciler(Supplier<String> newOperationId) {
        this.newOperationId = newOperationId;
    }

    List<Action> reconcile(List<WorkspaceView> views, List<WorkspaceState> inventory) {
        Map<String, WorkspaceState> actual = new LinkedHashMap<>();
        for (WorkspaceState state : inventory) {
            actual.put(state.getWorkspaceId(), state);
        }
        List<Action> actions = new ArrayList<>();
        for (WorkspaceView view : views) {
            WorkspaceState state = actual.remove(view.id());
            decide(view, state, actions);
        }
        // What is left in the inventory is unknown to the control plane.
        for (WorkspaceState orphan : actual.values()) {
            if (orphan.getPhase() != WorkspacePhase.WORKSPACE_PHASE_MISSING && !orphan.getWorkspaceId().isEmpty()) {
                actions.add(orphanDelete(orphan.getWorkspaceId(), null));
            }
        }
        return actions;
    }

    private void decide(WorkspaceView view, WorkspaceState state, List<Action> actions) {
        if (view.pendingOperationId() != null && view.pendingOperation() != null
                && AWAITING_OPERATION.contains(view.status())) {
            actions.add(new SendOperation(view.id(), ProtoConverters.pendingOperation(view), false));
            return;
        }
        if (state != null && state.getPhase() == WorkspacePhase.WORKSPACE_PHASE_UNSPECIFIED) {
            return;
        }
        ObservedPhase observed = state == null ? ObservedPhase.MISSING : ProtoConverters.phase(state.getPhase());
        if (observed == null) {
            return;
        }
        switch (view.status()) {
            case RUNNING -> {
                if (observed != ObservedPhase.RUNNING) {
                    actions.add(observe(view, observed, state));
                }
            }
            case STOPPED -> {
                if (observed == ObservedPhase.RUNNING || observed == ObservedPhase.MISSING) {
                    actions.add(observe(view, observed, state));
                }
            }
            case DELETED -> {
                if (observed != ObservedPhase.MISSING) {
                    actions.add(orphanDelete(view.id(), view));
                }
            }
            default -> {
                // FAILED: the user decides. Transitional without a pending operation: its result will tell.
            }
        }
    }

    /**
     * @param requests the publish requests the control plane has for the apps' ids (absent: unknown)
     * @return an UNPUBLISH for each app nothing should run, in the apps' order
     */
    List<Operation> orphanApps(String clusterId, List<PublishedApp> apps, Map<String, PublishRequestView> requests) {
        List<Operation> removals = new ArrayList<>();
        for (PublishedApp app : apps) {
            if (app.getPublishId().isEmpty() || app.getPhase() == WorkspacePhase.WORKSPACE_PHASE_MISSING) {
                continue;
            }
            PublishRequestView request = requests.get(app.getPublishId());
            boolean orphan = request == null || !clusterId.equals(request.clusterId())
                    || ORPHANED_BY.contains(request.status());
            if (orphan) {
                removals.add(ProtoConverters.unpublish(new DispatchUnpublishOperationCommand(clusterId,
                        app.getPublishId(), newOperationId.get(), request == null ? "" : request.workspaceId(),
                        app.getName())));
            }
        }
        return removals;
    }

    private ReportObservation observe(WorkspaceView view, ObservedPhase observed, WorkspaceState state) {
        String reason = state != null && !state.getReason().isBlank() ? state.getReason() : switch (observed) {
            case RUNNING -> "agent reports the workspace running";
            case STOPPED -> "agent reports the workspace stopped";
            case FAILED -> "agent reports the workspace failed";
            case MISSING -> "agent has no trace of the workspace";
        };
        return new ReportObservation(new ReconcileWorkspaceCommand(view.id(), observed, reason, newOperationId.get()));
    }

    private SendOperation orphanDelete(String workspaceId, WorkspaceView view) {
        Operation delete = view == null
                ? ProtoConverters.operation(newOperationId.get(), OperationKind.DELETE, workspaceId, null, null, null,
                        null)
                : ProtoConverters.operation(newOperationId.get(), OperationKind.DELETE, workspaceId, view.name(),
                        view.owner(), view.blueprintId(), view.spec());
        return new SendOperation(workspaceId, delete, true);
    }
}
