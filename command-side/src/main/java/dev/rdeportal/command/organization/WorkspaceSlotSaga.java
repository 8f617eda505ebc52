package dev.rdeportal.command.organization;

import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.ReleaseWorkspaceSlotCommand;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Gives a workspace's slot back to its owner's limit when its run ends. A run starts with the
 * launch or a start request (whose operation id keyed the slot) and ends when the workspace is
 * STOPPED, FAILED or DELETED; so PROVISIONING, RUNNING and STOPPING count against the limit.
 *
 * <p>Slots are keyed by the run's operation, not by the workspace: a start that follows a stop
 * before this saga has handled the stop takes a new slot, which the late release of the old run
 * leaves alone.
 */
@Saga
public class WorkspaceSlotSaga {

    private static final Logger log = LoggerFactory.getLogger("rde.organization.slots");

    private String run;

    @Autowired
    private transient CommandGateway commandGateway;

    @StartSaga
    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceLaunchedEvent e) {
        run = e.operationId();
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceStartRequestedEvent e) {
        run = e.operationId();
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceStoppedEvent e) {
        release();
    }

    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceFailedEvent e) {
        release();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "workspaceId")
    public void on(WorkspaceDeletedEvent e) {
        release();
    }

    private void release() {
        if (run == null) {
            return;
        }
        String operationId = run;
        run = null;
        commandGateway.send(new ReleaseWorkspaceSlotCommand(Member.ORGANIZATION_ID, operationId))
                .exceptionally(failure -> {
                    log.warn("could not release the workspace slot of run {}: {}", operationId, failure.getMessage());
                    return null;
                });
    }
}
