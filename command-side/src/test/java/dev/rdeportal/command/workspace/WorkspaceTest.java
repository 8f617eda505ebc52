package dev.rdeportal.command.workspace;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.workspace.CompleteWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.DeleteWorkspaceCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.LaunchWorkspaceCommand;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.StartWorkspaceCommand;
import dev.rdeportal.domain.workspace.StopWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkspaceTest {

    static final String ID = "ws-1";
    static final String ALICE = "alice@example.com";
    static final WorkspaceSpec SPEC = new WorkspaceSpec("img", 1000, 1024, 5, List.of(8000), Map.of("A", "1"), "run");
    static final WorkspaceLaunchedEvent LAUNCHED =
            new WorkspaceLaunchedEvent(ID, ALICE, "demo", "bp-1", "local", SPEC, "op-1");
    static final WorkspaceRunningEvent RUNNING = new WorkspaceRunningEvent(ID, "op-1", Map.of(8000, 41000));

    AggregateTestFixture<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Workspace.class);
    }

    @Test
    void launchIsProvisioning() {
        fixture.givenNoPriorActivity()
                .when(new LaunchWorkspaceCommand(ID, ALICE, "demo", "bp-1", "local", SPEC, "op-1"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(LAUNCHED);
    }

    @Test
    void provisionResultMakesItRunning() {
        fixture.given(LAUNCHED)
                .when(new CompleteWorkspaceOperationCommand(ID, "op-1", Map.of(8000, 41000)))
                .expectEvents(RUNNING);
    }

    @Test
    void resultOfAnotherOperationChangesNothing() {
        fixture.given(LAUNCHED)
                .when(new CompleteWorkspaceOperationCommand(ID, "op-other", Map.of()))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void duplicateResultChangesNothing() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new CompleteWorkspaceOperationCommand(ID, "op-1", Map.of(8000, 41000)))
                .expectNoEvents();
    }

    @Test
    void failedProvisionIsFailedWithReason() {
        fixture.given(LAUNCHED)
                .when(new FailWorkspaceOperationCommand(ID, "op-1", "image not found"))
                .expectEvents(new WorkspaceFailedEvent(ID, "op-1", "provision failed: image not found"));
    }

    @Test
    void ownerStopsRunningWorkspace() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new StopWorkspaceCommand(ID, ALICE, "op-2"))
                .expectResultMessagePayload(WorkspaceStatus.STOPPING)
                .expectEvents(new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null));
    }

    @Test
    void stopByAnotherUserLooksLikeNotFound() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new StopWorkspaceCommand(ID, "mallory@example.com", "op-2"))
                .expectException(DomainException.class)
                .expectExceptionMessage("workspace ws-1 not found")
                .expectNoEvents();
    }

    @Test
    void stoppingAStoppedWorkspaceIsAConflict() {
        fixture.given(LAUNCHED, RUNNING, new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null),
                        new WorkspaceStoppedEvent(ID, "op-2"))
                .when(new StopWorkspaceCommand(ID, ALICE, "op-3"))
                .expectException(DomainException.class)
                .expectException(org.hamcrest.Matchers.hasProperty("message",
                        org.hamcrest.Matchers.containsString("is STOPPED")))
                .expectNoEvents();
    }

    @Test
    void stopResultThenStartThenDelete() {
        fixture.given(LAUNCHED, RUNNING, new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null))
                .when(new CompleteWorkspaceOperationCommand(ID, "op-2", Map.of()))
                .expectEvents(new WorkspaceStoppedEvent(ID, "op-2"));
        fixture.given(LAUNCHED, RUNNING, new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null),
                        new WorkspaceStoppedEvent(ID, "op-2"))
                .when(new StartWorkspaceCommand(ID, ALICE, "op-3"))
                .expectResultMessagePayload(WorkspaceStatus.PROVISIONING)
                .expectEvents(new WorkspaceStartRequestedEvent(ID, ALICE, "op-3", null));
        fixture.given(LAUNCHED, RUNNING)
                .when(new DeleteWorkspaceCommand(ID, ALICE, "op-4"))
                .expectResultMessagePayload(WorkspaceStatus.DELETING)
                .expectEvents(new WorkspaceDeleteRequestedEvent(ID, ALICE, "op-4", null));
        fixture.given(LAUNCHED, RUNNING, new WorkspaceDeleteRequestedEvent(ID, ALICE, "op-4", null))
                .when(new CompleteWorkspaceOperationCommand(ID, "op-4", Map.of()))
                .expectEvents(new WorkspaceDeletedEvent(ID, "op-4"));
    }

    @Test
    void startingARunningWorkspaceIsAConflict() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new StartWorkspaceCommand(ID, ALICE, "op-3"))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void failedWorkspaceCanBeStartedAgain() {
        fixture.given(LAUNCHED, new WorkspaceFailedEvent(ID, "op-1", "provision failed: x"))
                .when(new StartWorkspaceCommand(ID, ALICE, "op-2"))
                .expectEvents(new WorkspaceStartRequestedEvent(ID, ALICE, "op-2", null));
    }

    @Test
    void deletedWorkspaceIsGoneForItsOwner() {
        fixture.given(LAUNCHED, RUNNING, new WorkspaceDeleteRequestedEvent(ID, ALICE, "op-4", null),
                        new WorkspaceDeletedEvent(ID, "op-4"))
                .when(new DeleteWorkspaceCommand(ID, ALICE, "op-5"))
                .expectException(DomainException.class)
                .expectExceptionMessage("workspace ws-1 not found");
    }

    @Test
    void runningWorkspaceThatStoppedOnItsOwnIsRecordedStopped() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new ReconcileWorkspaceCommand(ID, ObservedPhase.STOPPED, "start command exited with status 0", "op-9"))
                .expectEvents(new WorkspaceStoppedEvent(ID, null, "start command exited with status 0"));
    }

    @Test
    void runningWorkspaceTheAgentLostIsFailed() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new ReconcileWorkspaceCommand(ID, ObservedPhase.MISSING, null, "op-9"))
                .expectEvents(new WorkspaceFailedEvent(ID, null, Workspace.LOST));
    }

    @Test
    void stoppedWorkspaceFoundRunningIsStoppedAgain() {
        fixture.given(LAUNCHED, RUNNING, new WorkspaceStopRequestedEvent(ID, ALICE, "op-2", null),
                        new WorkspaceStoppedEvent(ID, "op-2"))
                .when(new ReconcileWorkspaceCommand(ID, ObservedPhase.RUNNING, null, "op-9"))
                .expectEvents(new WorkspaceStopRequestedEvent(ID, "system", "op-9",
                        "the agent was running a workspace that is stopped here"));
    }

    @Test
    void observationsWaitWhileAnOperationIsPending() {
        fixture.given(LAUNCHED)
                .when(new ReconcileWorkspaceCommand(ID, ObservedPhase.MISSING, null, "op-9"))
                .expectNoEvents();
    }

    @Test
    void matchingObservationChangesNothing() {
        fixture.given(LAUNCHED, RUNNING)
                .when(new ReconcileWorkspaceCommand(ID, ObservedPhase.RUNNING, null, "op-9"))
                .expectNoEvents();
    }
}
