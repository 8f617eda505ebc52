package dev.rdeportal.command.blueprint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDefinition;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.LlmKind;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.blueprint.Tool;
import dev.rdeportal.domain.blueprint.UpdateBlueprintCommand;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlueprintTest {

    static final BlueprintDefinition SAMPLE = new BlueprintDefinition("sample", "local", "debian:12",
            new Resources(1000, 1024, 5), List.of(8000), Map.of("GREETING", "hi"), "python3 -m http.server $PORT");

    AggregateTestFixture<Blueprint> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Blueprint.class);
    }

    @Test
    void createRecordsTheDetails() {
        fixture.givenNoPriorActivity()
                .when(new CreateBlueprintCommand("bp-1", SAMPLE, "admin@example.com"))
                .expectEvents(new BlueprintCreatedEvent("bp-1", SAMPLE.details(), "admin@example.com"));
    }

    @Test
    void updateRecordsTheNewDetails() {
        var changed = new BlueprintDefinition("sample", "local", "debian:13", new Resources(2000, 2048, 10),
                List.of(8000, 3000), Map.of(), null);
        fixture.given(new BlueprintCreatedEvent("bp-1", SAMPLE.details(), "admin@example.com"))
                .when(new UpdateBlueprintCommand("bp-1", changed, "admin@example.com"))
                .expectEvents(new BlueprintUpdatedEvent("bp-1", changed.details(), "admin@example.com"));
    }

    @Test
    void updateThatChangesNothingRecordsNothing() {
        fixture.given(new BlueprintCreatedEvent("bp-1", SAMPLE.details(), "admin@example.com"))
                .when(new UpdateBlueprintCommand("bp-1", SAMPLE, "admin@example.com"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void updateWithoutAKeyKeepsTheStoredKeyAndAnEmptyOneRemovesIt() {
        var withKey = new BlueprintDefinition("sample", "local", "debian:12", new Resources(1000, 1024, 5), List.of(),
                Map.of(), null, List.of(new Tool("claude", "claude")), new LlmSettings(LlmKind.ANTHROPIC, null, "CIPHER"));
        var noKey = new BlueprintDefinition("sample", "local", "debian:13", new Resources(1000, 1024, 5), List.of(),
                Map.of(), null, List.of(new Tool("claude", "claude")), new LlmSettings(LlmKind.ANTHROPIC, null, null));
        var created = new BlueprintCreatedEvent("bp-1", withKey.details(), "admin@example.com");
        fixture.given(created)
                .when(new UpdateBlueprintCommand("bp-1", noKey, "admin@example.com", true))
                .expectEvents(new BlueprintUpdatedEvent("bp-1", noKey.details().withLlm(
                        new LlmSettings(LlmKind.ANTHROPIC, null, "CIPHER")), "admin@example.com"));
        fixture.given(created)
                .when(new UpdateBlueprintCommand("bp-1", noKey, "admin@example.com", false))
                .expectEvents(new BlueprintUpdatedEvent("bp-1", noKey.details(), "admin@example.com"));
    }

    @Test
    void toolsAndProvidersAreValidated() {
        assertThatThrownBy(() -> new BlueprintDefinition("ok", "local", "img", new Resources(1000, 1024, 5), List.of(),
                Map.of(), null, List.of(new Tool("Bad Tool", "x")), null))
                .isInstanceOf(DomainException.class).hasMessageContaining("tool names");
        assertThatThrownBy(() -> new BlueprintDefinition("ok", "local", "img", new Resources(1000, 1024, 5), List.of(),
                Map.of(), null, List.of(), new LlmSettings(LlmKind.CUSTOM, null, null)))
                .isInstanceOf(DomainException.class).hasMessageContaining("endpoint is required");
        assertThatThrownBy(() -> new BlueprintDefinition("ok", "local", "img", new Resources(1000, 1024, 5), List.of(),
                Map.of(), null, List.of(), new LlmSettings(LlmKind.CUSTOM, "ftp://x", null)))
                .isInstanceOf(DomainException.class).hasMessageContaining("http(s) URL");
    }

    @Test
    void absurdResourcesAreRefusedBeforeTheAggregate() {
        assertThatThrownBy(() -> new BlueprintDefinition("sample", "local", "img",
                new Resources(1_000_000, 1024, 5), List.of(), Map.of(), null))
                .isInstanceOf(DomainException.class).hasMessageContaining("resources.cpu");
        assertThatThrownBy(() -> new BlueprintDefinition("Bad Name!", "local", "img",
                new Resources(1000, 1024, 5), List.of(), Map.of(), null))
                .isInstanceOf(DomainException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new BlueprintDefinition("ok", "local", "img",
                new Resources(1000, 1024, 5), List.of(0), Map.of(), null))
                .isInstanceOf(DomainException.class).hasMessageContaining("ports");
    }
}
