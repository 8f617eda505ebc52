package dev.rdeportal.command.workspace;

import dev.rdeportal.command.secrets.SecretBox;
import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Turns workspace lifecycle events into agent operations, and gives each operation a deadline.
 *
 * <p>Agent answers come back as commands to the aggregate (through the gateway), not to this saga:
 * the aggregate decides, the saga only reacts to what it decided. A portal crash at any point is
 * safe: if the saga re-handles an event it re-sends the same operation id, which the agent answers
 * from its idempotency journal; if it never gets to send it, the gateway re-sends every pending
 * operation when the agent reconnects.
 */
@Saga
public class WorkspaceLifecycleSaga {

    static final String OPERATION_DEADLINE = "operation-timeout";
    private static final Logger log = LoggerFactory.getLogger("rde.lifecycle");

    private String workspaceId;
    private String clusterId;
    private String owner;
    private String name;
    private String blueprintId;
    private WorkspaceSpec spec;
    private String deadlineId;

    @Autowired
    private transient CommandGateway commandGateway;
    @Autowired
    private transient DeadlineManager deadlineManager;
    @Autowired
    private transient LifecycleSettings settings;
    @Autowired
    private transient SecretBox secrets;

    @StartSaga
    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceLaunchedEvent e) {
        workspaceId = e.workspaceId();
        clusterId = e.clusterId();
        owner = e.owner();
        name = e.name();
        blueprintId = e.blueprintId();
        spec = e.spec();
        dispatch(e.operationId(), OperationKind.PROVISION);
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceStartRequestedEvent e) {
        dispatch(e.operationId(), OperationKind.START);
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceStopRequestedEvent e) {
        dispatch(e.operationId(), OperationKind.STOP);
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceDeleteRequestedEvent e) {
        dispatch(e.operationId(), OperationKind.DELETE);
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceRunningEvent e) {
        settle();
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceStoppedEvent e) {
        settle();
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceFailedEvent e) {
        settle();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceDeletedEvent e) {
        settle();
    }

    /** No answer in time: the aggregate ignores this if the operation has settled meanwhile. */
    @DeadlineHandler(deadlineName = OPERATION_DEADLINE)
    public void onTimeout(OperationTimeout timeout) {
        deadlineId = null;
        log.warn("workspace {}: {} operation got no answer within {}", workspaceId, timeout.kind(),
                settings.operationTimeout());
        commandGateway.send(new FailWorkspaceOperationCommand(workspaceId, timeout.operationId(),
                "the agent did not answer within " + settings.operationTimeout().toSeconds() + " s"));
    }

    private void dispatch(String operationId, OperationKind kind) {
        cancelDeadline();
        WorkspaceSpec forAgent;
        try {
            // Secrets are resolved only for operations that start processes, and never kept here.
            forAgent = kind == OperationKind.PROVISION || kind == OperationKind.START
                    ? LlmEnvironment.resolve(spec, blueprintId, secrets) : spec;
        } catch (SecretBox.SecretUnavailableException e) {
            log.warn("workspace {}: {}", workspaceId, e.getMessage());
            commandGateway.send(new FailWorkspaceOperationCommand(workspaceId, operationId,
                    "the blueprint's LLM key cannot be decrypted by this portal; an admin must set it again"));
            return;
        }
        deadlineId = deadlineManager.schedule(settings.operationTimeout(), OPERATION_DEADLINE,
                new OperationTimeout(operationId, kind));
        commandGateway.send(new DispatchWorkspaceOperationCommand(clusterId, workspaceId, operationId, kind,
                owner, name, blueprintId, forAgent)).exceptionally(failure -> {
                    // Not fatal: reconciliation re-sends pending operations when the agent reconnects.
                    log.warn("workspace {}: could not hand {} operation to the gateway: {}", workspaceId, kind,
                            failure.getMessage());
                    return null;
                });
    }

    private void settle() {
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            deadlineManager.cancelSchedule(OPERATION_DEADLINE, deadlineId);
            deadlineId = null;
        }
    }

    /** The deadline's payload. */
    public record OperationTimeout(String operationId, OperationKind kind) {
    }
}
