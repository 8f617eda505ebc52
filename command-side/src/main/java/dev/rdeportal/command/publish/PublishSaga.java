package dev.rdeportal.command.publish;

import dev.rdeportal.command.workspace.LifecycleSettings;
import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestApprovedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
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
 * Turns an approval (by an admin, or at once for a trusted requester) into the agent's publish
 * operation, with a deadline; the agent's answer comes back to the request aggregate through the
 * gateway, which ends this saga by PUBLISHED or FAILED.
 *
 * <p>The operation id is decided by the approval and carried by its event: a saga that handles
 * the event again after a crash re-sends the same id, which the agent answers from its idempotency
 * journal; an operation that never reached the agent is re-sent, with the same id, when it
 * reconnects, or failed by the deadline.
 */
@Saga
public class PublishSaga {

    static final String PUBLISH_DEADLINE = "publish-timeout";
    private static final Logger log = LoggerFactory.getLogger("rde.publish");

    private String requestId;
    private String deadlineId;

    @Autowired
    private transient CommandGateway commandGateway;
    @Autowired
    private transient DeadlineManager deadlineManager;
    @Autowired
    private transient LifecycleSettings settings;

    @StartSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestApprovedEvent e) {
        requestId = e.requestId();
        deadlineId = deadlineManager.schedule(settings.operationTimeout(), PUBLISH_DEADLINE, e.operationId());
        OperationHandOff.send(commandGateway, new DispatchPublishOperationCommand(e.clusterId(), e.requestId(),
                        e.operationId(), e.workspaceId(), e.publishName(), e.port(), e.startCommand()),
                reason -> new FailPublishOperationCommand(e.requestId(), e.operationId(), reason), "publish",
                e.requestId());
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestPublishedEvent e) {
        cancelDeadline();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestFailedEvent e) {
        cancelDeadline();
    }

    /** No answer in time: the aggregate ignores this if the operation was answered meanwhile. */
    @DeadlineHandler(deadlineName = PUBLISH_DEADLINE)
    public void onTimeout(String operationId) {
        deadlineId = null;
        log.warn("publish request {}: the agent did not answer within {}", requestId, settings.operationTimeout());
        commandGateway.send(new FailPublishOperationCommand(requestId, operationId,
                "the agent did not answer within " + settings.operationTimeout().toSeconds() + " s"));
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            deadlineManager.cancelSchedule(PUBLISH_DEADLINE, deadlineId);
            deadlineId = null;
        }
    }
}
