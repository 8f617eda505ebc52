package dev.rdeportal.command.publish;

import dev.rdeportal.command.workspace.LifecycleSettings;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent;
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
 * Turns an unpublish into the agent's unpublish operation, with a deadline, as {@link PublishSaga}
 * does for a publish: the operation id comes with the event, so a saga that handles it again
 * re-sends the same one; the agent's answer reaches the request aggregate through the gateway,
 * which ends this saga by UNPUBLISHED or a failed removal.
 */
@Saga
public class UnpublishSaga {

    static final String UNPUBLISH_DEADLINE = "unpublish-timeout";
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
    public void on(PublishRequestUnpublishingEvent e) {
        requestId = e.requestId();
        deadlineId = deadlineManager.schedule(settings.operationTimeout(), UNPUBLISH_DEADLINE, e.operationId());
        OperationHandOff.send(commandGateway, new DispatchUnpublishOperationCommand(e.clusterId(), e.requestId(),
                        e.operationId(), e.workspaceId(), e.publishName()),
                reason -> new FailUnpublishOperationCommand(e.requestId(), e.operationId(), reason), "unpublish",
                e.requestId());
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestUnpublishedEvent e) {
        cancelDeadline();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestUnpublishFailedEvent e) {
        cancelDeadline();
    }

    /** No answer in time: the aggregate ignores this if the operation was answered meanwhile. */
    @DeadlineHandler(deadlineName = UNPUBLISH_DEADLINE)
    public void onTimeout(String operationId) {
        deadlineId = null;
        log.warn("publish request {}: the agent did not answer the unpublish within {}", requestId,
                settings.operationTimeout());
        commandGateway.send(new FailUnpublishOperationCommand(requestId, operationId,
                "the agent did not answer within " + settings.operationTimeout().toSeconds() + " s"));
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            deadlineManager.cancelSchedule(UNPUBLISH_DEADLINE, deadlineId);
            deadlineId = null;
        }
    }
}
