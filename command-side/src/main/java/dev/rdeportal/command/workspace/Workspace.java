package dev.rdeportal.command.workspace;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.workspace.CompleteWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.DeleteWorkspaceCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.LaunchWorkspaceCommand;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.StartWorkspaceCommand;
import dev.rdeportal.domain.workspace.StopWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A workspace's lifecycle. Every request names an operation id (the agent's idempotency key); the
 * aggregate remembers the one operation it waits for, so a duplicate or overtaken agent answer
 * changes nothing.
 *
 * <pre>
 *  launch ─► PROVISIONING ─ok─► RUNNING ─stop─► STOPPING ─ok─► STOPPED ─start─► PROVISIONING
 *                 │                                                  │
 *                 └─fail─► FAILED ─start─► PROVISIONING      any ─delete─► DELETING ─ok─► DELETED
 * </pre>
 */
@Aggregate
class Workspace {

    @AggregateIdentifier
    private String id;
    private String owner;
    private WorkspaceStatus status;
    private String pendingOperationId;
    private OperationKind pendingOperation;

    Workspace() {
        // for Axon
    }

    @CommandHandler
    Workspace(LaunchWorkspaceCommand cmd) {
        apply(new WorkspaceLaunchedEvent(cmd.workspaceId(), cmd.owner(), cmd.name(), cmd.blueprintId(),
                cmd.clusterId(), cmd.spec(), cmd.operationId()));
    }

    @CommandHandler
    WorkspaceStatus handle(StopWorkspaceCommand cmd) {
        requireOwner(cmd.requestedBy());
        if (status != WorkspaceStatus.RUNNING) {
            throw DomainException.conflict("workspace " + id + " is " + status + "; only a RUNNING workspace can be stopped");
        }
        apply(new WorkspaceStopRequestedEvent(id, cmd.requestedBy(), cmd.operationId(), null));
        return status;
    }

    @CommandHandler
    WorkspaceStatus handle(StartWorkspaceCommand cmd) {
        requireOwner(cmd.requestedBy());
        if (status != WorkspaceStatus.STOPPED && status != WorkspaceStatus.FAILED) {
            throw DomainException.conflict("workspace " + id + " is " + status
                    + "; only a STOPPED or FAILED workspace can be started");
        }
        apply(new WorkspaceStartRequestedEvent(id, cmd.requestedBy(), cmd.operationId(), null));
        return status;
    }

    @CommandHandler
    WorkspaceStatus handle(DeleteWorkspaceCommand cmd) {
        requireOwner(cmd.requestedBy());
        if (status == WorkspaceStatus.DELETING || status == WorkspaceStatus.DELETED) {
            throw DomainException.conflict("workspace " + id + " is already " + status);
        }
        apply(new WorkspaceDeleteRequestedEvent(id, cmd.requestedBy(), cmd.operationId(), null));
        return status;
    }

    @CommandHandler
    void handle(CompleteWorkspaceOperationCommand cmd) {
        if (!isPending(cmd.operationId())) {
            return;
        }
        switch (pendingOperation) {
            case PROVISION, START -> apply(new WorkspaceRunningEvent(id, cmd.operationId(), cmd.ports()));
            case STOP -> apply(new WorkspaceStoppedEvent(id, cmd.operationId(), null));
            case DELETE -> apply(new WorkspaceDeletedEvent(id, cmd.operationId()));
        }
    }

    @CommandHandler
    void handle(FailWorkspaceOperationCommand cmd) {
        if (!isPending(cmd.operationId())) {
            return;
        }
        String what = pendingOperation.name().toLowerCase();
        apply(new WorkspaceFailedEvent(id, cmd.operationId(), what + " failed: " + cmd.reason()));
    }

    /**
     * Desired (this aggregate) against actual (what the agent reports). While an operation is
     * pending the gateway re-sends it instead, so observations are acted on only in a settled state.
     * A workspace that stopped by itself is recorded as STOPPED, not restarted: restarting on every
     * exit would turn a crashing start command into a loop the user never asked for.
     */
    @CommandHandler
    void handle(ReconcileWorkspaceCommand cmd) {
        if (pendingOperationId != null) {
            return;
        }
        String reason = cmd.reason() == null || cmd.reason().isBlank() ? "reported by the agent" : cmd.reason();
        switch (status) {
            case RUNNING -> {
                switch (cmd.observed()) {
                    case STOPPED -> apply(new WorkspaceStoppedEvent(id, null, reason));
                    case MISSING -> apply(new WorkspaceFailedEvent(id, null, LOST));
                    case FAILED -> apply(new WorkspaceFailedEvent(id, null, reason));
                    case RUNNING -> { }
                }
            }
            case STOPPED -> {
                switch (cmd.observed()) {
                    case RUNNING -> apply(new WorkspaceStopRequestedEvent(id, MetaDataKeys.SYSTEM, cmd.operationId(),
                            "the agent was running a workspace that is stopped here"));
                    case MISSING -> apply(new WorkspaceFailedEvent(id, null, LOST));
                    case STOPPED, FAILED -> { }
                }
            }
            default -> { }
        }
    }

    static final String LOST = "the agent has no trace of this workspace and its files are gone; "
            + "start it to provision it afresh, or delete it";

    private boolean isPending(String operationId) {
        return pendingOperationId != null && pendingOperationId.equals(operationId);
    }

    /** Unknown and not-yours look the same. */
    private void requireOwner(String requestedBy) {
        if (!Objects.equals(owner, requestedBy) || status == WorkspaceStatus.DELETED) {
            throw DomainException.notFound("workspace", id);
        }
    }

    @EventSourcingHandler
    void on(WorkspaceLaunchedEvent e) {
        id = e.workspaceId();
        owner = e.owner();
        pending(WorkspaceStatus.PROVISIONING, e.operationId(), OperationKind.PROVISION);
    }

    @EventSourcingHandler
    void on(WorkspaceRunningEvent e) {
        settled(WorkspaceStatus.RUNNING);
    }

    @EventSourcingHandler
    void on(WorkspaceStopRequestedEvent e) {
        pending(WorkspaceStatus.STOPPING, e.operationId(), OperationKind.STOP);
    }

    @EventSourcingHandler
    void on(WorkspaceStoppedEvent e) {
        settled(WorkspaceStatus.STOPPED);
    }

    @EventSourcingHandler
    void on(WorkspaceStartRequestedEvent e) {
        pending(WorkspaceStatus.PROVISIONING, e.operationId(), OperationKind.START);
    }

    @EventSourcingHandler
    void on(WorkspaceDeleteRequestedEvent e) {
        pending(WorkspaceStatus.DELETING, e.operationId(), OperationKind.DELETE);
    }

    @EventSourcingHandler
    void on(WorkspaceDeletedEvent e) {
        settled(WorkspaceStatus.DELETED);
    }

    @EventSourcingHandler
    void on(WorkspaceFailedEvent e) {
        settled(WorkspaceStatus.FAILED);
    }

    private void pending(WorkspaceStatus newStatus, String operationId, OperationKind kind) {
        status = newStatus;
        pendingOperationId = operationId;
        pendingOperation = kind;
    }

    private void settled(WorkspaceStatus newStatus) {
        status = newStatus;
        pendingOperationId = null;
        pendingOperation = null;
    }
}
