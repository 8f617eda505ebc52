package dev.rdeportal.command.organization;

import static dev.rdeportal.domain.member.Member.ORGANIZATION_ID;

import dev.rdeportal.domain.member.ReleaseWorkspaceSlotCommand;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import java.util.List;
import java.util.Map;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkspaceSlotSagaTest {

    static final WorkspaceLaunchedEvent LAUNCHED = new WorkspaceLaunchedEvent("ws-1", "alice@example.com", "w",
            "bp-1", "local", new WorkspaceSpec("img", 500, 512, 1, List.of(), Map.of(), null), "op-launch");

    SagaTestFixture<WorkspaceSlotSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(WorkspaceSlotSaga.class);
    }

    @Test
    void aStopReleasesTheSlotOfTheLaunch() {
        fixture.givenAPublished(LAUNCHED)
                .whenPublishingA(new WorkspaceStoppedEvent("ws-1", "op-stop", null))
                .expectDispatchedCommands(new ReleaseWorkspaceSlotCommand(ORGANIZATION_ID, "op-launch"));
    }

    @Test
    void aFailureAfterARestartReleasesTheRestartsSlot() {
        fixture.givenAPublished(LAUNCHED)
                .andThenAPublished(new WorkspaceStoppedEvent("ws-1", "op-stop", null))
                .andThenAPublished(new WorkspaceStartRequestedEvent("ws-1", "alice@example.com", "op-start", null))
                .whenPublishingA(new WorkspaceFailedEvent("ws-1", "op-start", "boom"))
                .expectDispatchedCommands(new ReleaseWorkspaceSlotCommand(ORGANIZATION_ID, "op-start"));
    }

    @Test
    void deletingAStoppedWorkspaceReleasesNothingMoreAndEndsTheSaga() {
        fixture.givenAPublished(LAUNCHED)
                .andThenAPublished(new WorkspaceStoppedEvent("ws-1", "op-stop", null))
                .whenPublishingA(new WorkspaceDeletedEvent("ws-1", "op-delete"))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }
}
