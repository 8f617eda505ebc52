package dev.rdeportal.query.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.json.JsonMapper;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.LlmKind;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.blueprint.Tool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueprintResponseTest {

    @Test
    void theLlmKeyIsWriteOnly() {
        var details = new BlueprintDetails("ai", "local", "img", new Resources(1000, 1024, 5), List.of(), Map.of(), null,
                List.of(new Tool("claude", "claude")), new LlmSettings(LlmKind.CUSTOM, "https://llm.internal/v1", "Q0lQSEVSVEVYVA=="));
        var response = BlueprintResponse.of(new BlueprintView("bp-1", details, Instant.EPOCH, Instant.EPOCH));
        String json = JsonMapper.builder().build().writeValueAsString(response);
        assertThat(response.llm()).isEqualTo(new BlueprintResponse.LlmResponse("custom", "https://llm.internal/v1", true));
        assertThat(response.tools()).containsExactly(new BlueprintResponse.ToolResponse("claude", "claude"));
        assertThat(json).doesNotContain("Q0lQSEVSVEVYVA==").doesNotContain("encrypted");
    }
}
