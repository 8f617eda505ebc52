package dev.rdeportal.command.workspace;

import dev.rdeportal.command.secrets.SecretBox;
import dev.rdeportal.domain.blueprint.LlmKind;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.blueprint.Tool;
import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import org.junit.jupiter.api.io.TempDir;
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
    SecretBox secrets;

    @TempDir
    static java.nio.file.Path dir;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(WorkspaceLifecycleSaga.class);
        fixture.registerResource(new LifecycleSettings(TIMEOUT));
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        secrets = SecretBox.open(dir.resolve(java.util.UUID.randomUUID() + ".json"), master);
        fixture.registerResource(secrets);
    }

    @Test
    void provisionCarriesTheDecryptedLlmKeyToTheAgentOnly() {
        var llm = new LlmSettings(LlmKind.ANTHROPIC, null, secrets.encrypt("sk-ant-1", LlmSettings.keyContext("bp-1")));
        var spec = new WorkspaceSpec("img", 1000, 1024, 5, java.util.List.of(8000), java.util.Map.of("A", "1"), "run",
                java.util.List.of(new Tool("claude", "claude")), llm);
        var launched = new WorkspaceLaunchedEvent(ID, ALICE, "demo", "bp-1", "local", spec, "op-1");
        var forAgent = spec.withEnv(java.util.Map.of("A", "1", "RDE_LLM_PROVIDER", "anthropic",
                "RDE_LLM_API_KEY", "sk-ant-1", "ANTHROPIC_API_KEY", "sk-ant-1"));
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(launched)
                .expectDispatchedCommands(new DispatchWorkspaceOperationCommand("local", ID, "op-1",
                        OperationKind.PROVISION, ALICE, "demo", "bp-1", forAgent));
    }

    @Test
    void aKeyBoundToAnotherBlueprintFailsTheOperationInsteadOfLeaking() {
        var llm = new LlmSettings(LlmKind.OPENAI, null, secrets.encrypt("sk-x", LlmSettings.keyContext("bp-other")));
        var spec = new WorkspaceSpec("img", 1000, 1024, 5, java.util.List.of(), java.util.Map.of(), "run",
                java.util.List.of(), llm);
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(new WorkspaceLaunchedEvent(ID, ALICE, "demo", "bp-1", "local", spec, "op-1"))
                .expectDispatchedCommands(new FailWorkspaceOperationCommand(ID, "op-1",
                        "the blueprint's LLM key cannot be decrypted by this portal; an admin must set it again"));
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
