package dev.rdeportal.command.publish;

import static dev.rdeportal.command.publish.PublishRequestAggregateTest.APPROVED;
import static dev.rdeportal.command.publish.PublishRequestAggregateTest.ID;
import static dev.rdeportal.command.publish.PublishRequestAggregateTest.UNPUBLISHING;

import dev.rdeportal.command.workspace.LifecycleSettings;
import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestRejectedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishStatus;
import java.time.Duration;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishSagaTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final DispatchPublishOperationCommand DISPATCH = new DispatchPublishOperationCommand("local", ID, "op-1",
            "ws-1", PublishRequestAggregateTest.NAME, 8000, "python3 -m http.server $PORT");

    SagaTestFixture<PublishSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(PublishSaga.class);
        fixture.registerResource(new LifecycleSettings(TIMEOUT));
    }

    @Test
    void anApprovalSendsThePublishOperationWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(APPROVED)
                .expectActiveSagas(1)
                .expectDispatchedCommands(DISPATCH)
                .expectScheduledDeadlineWithName(TIMEOUT, PublishSaga.PUBLISH_DEADLINE);
    }

    @Test
    void publishedEndsTheSagaAndItsDeadline() {
        fixture.givenAggregate(ID).published(APPROVED)
                .whenAggregate(ID).publishes(new PublishRequestPublishedEvent(ID, "op-1", "http://x"))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void failedEndsTheSagaAndItsDeadline() {
        fixture.givenAggregate(ID).published(APPROVED)
                .whenAggregate(ID).publishes(new PublishRequestFailedEvent(ID, "op-1", "publish failed: x"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void noAnswerInTimeFailsTheRequest() {
        fixture.givenAggregate(ID).published(APPROVED)
                .whenTimeElapses(TIMEOUT.plusSeconds(1))
                .expectDeadlinesMet("op-1")
                .expectDispatchedCommands(new FailPublishOperationCommand(ID, "op-1",
                        "the agent did not answer within 90 s"));
    }

    @Test
    void aGatewayRefusalFailsTheRequestAtOnce() {
        String tooOld = "the agent of cluster local is too old to publish (protocol 1.3; publishing needs 1.4)";
        refuse(DispatchPublishOperationCommand.class, tooOld);
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(APPROVED)
                .expectDispatchedCommands(DISPATCH, new FailPublishOperationCommand(ID, "op-1", tooOld));
    }

    @Test
    void aRejectedRequestNeverReachesTheAgent() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(new PublishRequestRejectedEvent(ID, "ada@example.com", "no",
                        PublishRequestAggregateTest.T1))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    /** The gateway refuses every {@code command} with {@code message}, as for an agent too old for it. */
    private void refuse(Class<?> command, String message) {
        fixture.setCallbackBehavior((payload, metaData) -> {
            if (command.isInstance(payload)) {
                throw DomainException.conflict(message);
            }
            return null;
        });
    }

    // ---- the other half: the unpublish operation, its deadline and its end

    static final DispatchUnpublishOperationCommand UNPUBLISH_DISPATCH = new DispatchUnpublishOperationCommand("local",
            ID, "op-2", "ws-1", PublishRequestAggregateTest.NAME);

    @Test
    void anUnpublishSendsTheOperationWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(UNPUBLISHING)
                .expectActiveSagas(1)
                .expectDispatchedCommands(UNPUBLISH_DISPATCH)
                .expectScheduledDeadlineWithName(TIMEOUT, PublishSaga.UNPUBLISH_DEADLINE);
    }

    @Test
    void unpublishedEndsTheSagaAndItsDeadline() {
        fixture.givenAggregate(ID).published(UNPUBLISHING)
                .whenAggregate(ID).publishes(new PublishRequestUnpublishedEvent(ID, "op-2"))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFailedRemovalEndsTheSagaAndItsDeadline() {
        fixture.givenAggregate(ID).published(UNPUBLISHING)
                .whenAggregate(ID).publishes(new PublishRequestUnpublishFailedEvent(ID, "op-2", "unpublish failed: x",
                        PublishStatus.PUBLISHED))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void noAnswerInTimeFailsTheRemoval() {
        fixture.givenAggregate(ID).published(UNPUBLISHING)
                .whenTimeElapses(TIMEOUT.plusSeconds(1))
                .expectDeadlinesMet("op-2")
                .expectDispatchedCommands(new FailUnpublishOperationCommand(ID, "op-2",
                        "the agent did not answer within 90 s"));
    }

    @Test
    void aGatewayRefusalFailsTheRemovalAtOnce() {
        String tooOld = "the agent of cluster local is too old to unpublish (protocol 1.3; publishing needs 1.4)";
        refuse(DispatchUnpublishOperationCommand.class, tooOld);
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(UNPUBLISHING)
                .expectDispatchedCommands(UNPUBLISH_DISPATCH, new FailUnpublishOperationCommand(ID, "op-2", tooOld));
    }

    @Test
    void aPublishAloneStartsNoUnpublish() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(new PublishRequestPublishedEvent(ID, "op-1", "http://x"))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }
}
