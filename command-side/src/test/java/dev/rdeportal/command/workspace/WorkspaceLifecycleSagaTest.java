package dev.rdeportal.command.workspace;

import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import java.time.Duration;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.rdeportal.command.workspace.WorkspaceTest.ALICE;
import static dev.rdeportal.command.workspace.WorkspaceTest.ID;
import static dev.rdeportal.command.workspace.WorkspaceTest.LAUNCHED;
import static dev.rdeportal.command.workspace.WorkspaceTest.RUNNING;
import static dev.rdeportal.command.workspace.WorkspaceTest.SPEC;

class WorkspaceLifecycleSagaTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    SagaTestFixture<WorkspaceLifecycleSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(WorkspaceLifecycleSaga.class);
        fixture.registerResource(new LifecycleSettings(TIMEOUT));
    }

    static DispatchWorkspaceOperationCommand dispatch(String op, OperationKind kind) {
        return new DispatchWorkspaceOperationCommand("local", ID, op, kind, ALICE, "demo", "bp-1", SPEC);
    }

    @Test
    void launchDispatchesProvisionWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(LAUNCHED)
                .expectActiveSagas(1)
                .expectDispatchedCommands(dispatch("op-1", OperationKind.PROVISION))
                .expectScheduledDeadlineWithName(TIMEOUT, WorkspaceLifecycleSaga.OPERATION_DEADLINE);
    }

    @Test
    void runningCancelsTheDeadline() {
        fixture.givenAggregate(ID).published(LAUNCHED)
                .whenAggregate(ID).publishes(RUNNING)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void noAnswerInTimeFailsTheOperation() {
        fixture.givenAggregate(ID).published(LAUNCHED)
                .whenTimeElapses(TIMEOUT.plusSeconds(1))
                .expectDeadlinesMet(new WorkspaceLifecycleSaga.OperationTimeout("op-1", OperationKind.PROVISION))
                .expectDispatchedCommands(new FailWorkspaceOperationCommand(ID, "op-1",
                        "the agent did not answer within 90 s"));
    }

    @Test
    void stopRequestDispatchesStop() {
        fixture.givenAggregate(ID).published(LAUNCHED, RUNNING)
                .whenAggregate(ID).publishes(new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null))
                .expectDispatchedCommands(dispatch("op-2", OperationKind.STOP))
                .expectScheduledDeadlineWithName(TIMEOUT, WorkspaceLifecycleSaga.OPERATION_DEADLINE);
    }

    @Test
    void failureCancelsTheDeadline() {
        fixture.givenAggregate(ID).published(LAUNCHED)
                .whenAggregate(ID).publishes(new WorkspaceFailedEvent(ID, "op-1", "provision failed: x"))
                .expectNoScheduledDeadlines();
    }

    @Test
    void deletedEndsTheSaga() {
        fixture.givenAggregate(ID).published(LAUNCHED, RUNNING,
                        new WorkspaceDeleteRequestedEvent(ID, ALICE, "op-3", null))
                .whenAggregate(ID).publishes(new WorkspaceDeletedEvent(ID, "op-3"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }
}
