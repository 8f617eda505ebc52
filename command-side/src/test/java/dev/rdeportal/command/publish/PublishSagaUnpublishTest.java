package dev.rdeportal.command.publish;

import static dev.rdeportal.command.publish.PublishRequestAggregateTest.ID;
import static dev.rdeportal.command.publish.PublishRequestAggregateTest.UNPUBLISHING;

import dev.rdeportal.command.workspace.LifecycleSettings;
import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishStatus;
import java.time.Duration;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publish saga's other half: the unpublish operation, its deadline and its end. */
class PublishSagaUnpublishTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final DispatchUnpublishOperationCommand DISPATCH = new DispatchUnpublishOperationCommand("local", ID, "op-2",
            "ws-1", PublishRequestAggregateTest.NAME);

    SagaTestFixture<PublishSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(PublishSaga.class);
        fixture.registerResource(new LifecycleSettings(TIMEOUT));
    }

    @Test
    void anUnpublishSendsTheOperationWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(UNPUBLISHING)
                .expectActiveSagas(1)
                .expectDispatchedCommands(DISPATCH)
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
        fixture.setCallbackBehavior((payload, metaData) -> {
            if (payload instanceof DispatchUnpublishOperationCommand) {
                throw DomainException.conflict(tooOld);
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(UNPUBLISHING)
                .expectDispatchedCommands(DISPATCH, new FailUnpublishOperationCommand(ID, "op-2", tooOld));
    }

    @Test
    void aPublishAloneStartsNoUnpublish() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(new PublishRequestPublishedEvent(ID, "op-1", "http://x"))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }
}
