package dev.rdeportal.command.publish;

import dev.rdeportal.command.workspace.LifecycleSettings;
import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestApprovedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
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
 * operation, and an unpublish into its unpublish operation, each with a deadline; the agent's answer
 * comes back to the request aggregate through the gateway, which ends this saga: by PUBLISHED or
 * FAILED, by UNPUBLISHED or a failed removal. One saga at a time per request: a request is
 * unpublished only after its publish ended.
 *
 * <p>The operation id is decided by the approval (or the unpublish) and carried by its event: a saga
 * that handles the event again after a crash re-sends the same id, which the agent answers from its
 * idempotency journal; an operation that never reached the agent is re-sent, with the same id, when
 * it reconnects, or failed by the deadline. A refusal by the gateway is final (the agent is too old)
 * and fails the request at once.
 */
@Saga
public class PublishSaga {

    static final String PUBLISH_DEADLINE = "publish-timeout";
    static final String UNPUBLISH_DEADLINE = "unpublish-timeout";
    private static final Logger log = LoggerFactory.getLogger("rde.publish");

    private String requestId;
    private String deadlineId;
    /** The deadline's name: {@link #PUBLISH_DEADLINE} or {@link #UNPUBLISH_DEADLINE}. */
    private String deadlineName;

    @Autowired
    private transient CommandGateway commandGateway;
    @Autowired
    private transient DeadlineManager deadlineManager;
    @Autowired
    private transient LifecycleSettings settings;

    @StartSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestApprovedEvent e) {
        start(e.requestId(), PUBLISH_DEADLINE, e.operationId());
        handOff(new DispatchPublishOperationCommand(e.clusterId(), e.requestId(), e.operationId(), e.workspaceId(),
                e.publishName(), e.port(), e.startCommand()),
                reason -> new FailPublishOperationCommand(e.requestId(), e.operationId(), reason));
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "requestId")
    public void on(PublishRequestUnpublishingEvent e) {
        start(e.requestId(), UNPUBLISH_DEADLINE, e.operationId());
        handOff(new DispatchUnpublishOperationCommand(e.clusterId(), e.requestId(), e.operationId(), e.workspaceId(),
                e.publishName()),
                reason -> new FailUnpublishOperationCommand(e.requestId(), e.operationId(), reason));
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
    @DeadlineHandler(deadlineName = PUBLISH_DEADLINE)
    public void onPublishTimeout(String operationId) {
        deadlineId = null;
        log.warn("publish request {}: the agent did not answer within {}", requestId, settings.operationTimeout());
        commandGateway.send(new FailPublishOperationCommand(requestId, operationId, noAnswer()));
    }

    @DeadlineHandler(deadlineName = UNPUBLISH_DEADLINE)
    public void onUnpublishTimeout(String operationId) {
        deadlineId = null;
        log.warn("publish request {}: the agent did not answer the unpublish within {}", requestId,
                settings.operationTimeout());
        commandGateway.send(new FailUnpublishOperationCommand(requestId, operationId, noAnswer()));
    }

    private void start(String request, String deadline, String operationId) {
        requestId = request;
        deadlineName = deadline;
        deadlineId = deadlineManager.schedule(settings.operationTimeout(), deadline, operationId);
    }

    /** A refusal by the gateway fails the request now; anything else waits for a reconnect or the deadline. */
    private void handOff(Object dispatch, Function<String, Object> failWith) {
        commandGateway.send(dispatch).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof DomainException refused) {
                commandGateway.send(failWith.apply(refused.getMessage()));
            } else {
                log.warn("publish request {}: could not hand the operation to the gateway: {}", requestId,
                        cause.getMessage());
            }
            return null;
        });
    }

    private String noAnswer() {
        return "the agent did not answer within " + settings.operationTimeout().toSeconds() + " s";
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            deadlineManager.cancelSchedule(deadlineName == null ? PUBLISH_DEADLINE : deadlineName, deadlineId);
            deadlineId = null;
        }
    }
}
