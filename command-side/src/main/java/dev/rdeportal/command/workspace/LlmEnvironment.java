package dev.rdeportal.command.workspace;

import dev.rdeportal.command.secrets.SecretBox;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a workspace's processes get for its blueprint's LLM provider: the conventional
 * variables of each provider's tools ({@code ANTHROPIC_API_KEY}, {@code OPENAI_BASE_URL}, …) plus
 * {@code RDE_LLM_*}. A custom provider is taken as OpenAI-compatible, as private gateways are.
 * The key is decrypted only here, for the operation sent to the agent, and is never stored.
 */
final class LlmEnvironment {

    private LlmEnvironment() {
    }

    static WorkspaceSpec resolve(WorkspaceSpec spec, String blueprintId, SecretBox secrets) {
        LlmSettings llm = spec.llm();
        if (llm == null) {
            return spec;
        }
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        String key = llm.keySet() ? secrets.decrypt(llm.encryptedApiKey(), LlmSettings.keyContext(blueprintId)) : null;
        env.put("RDE_LLM_PROVIDER", llm.kind().name().toLowerCase(java.util.Locale.ROOT));
        putIfPresent(env, "RDE_LLM_ENDPOINT", llm.endpoint());
        putIfPresent(env, "RDE_LLM_API_KEY", key);
        switch (llm.kind()) {
            case ANTHROPIC -> {
                putIfPresent(env, "ANTHROPIC_API_KEY", key);
                putIfPresent(env, "ANTHROPIC_BASE_URL", llm.endpoint());
            }
            case OPENAI, CUSTOM -> {
                putIfPresent(env, "OPENAI_API_KEY", key);
                putIfPresent(env, "OPENAI_BASE_URL", llm.endpoint());
            }
        }
        return spec.withEnv(env);
    }

    private static void putIfPresent(Map<String, String> env, String name, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(name, value);
        }
    }
}
