package dev.rdeportal.domain.workspace;

import java.util.List;
import java.util.Map;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.blueprint.Tool;

/**
 * What a workspace is made of, copied from its blueprint at launch so that later blueprint edits
 * never change a running workspace. Carried by events: no validation here. The LLM key is the
 * blueprint's ciphertext; it is decrypted only for the agent, at dispatch.
 */
public record WorkspaceSpec(
        String image,
        int cpuMillis,
        int memoryMib,
        int storageGib,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand,
        List<Tool> tools,
        LlmSettings llm) {

    public WorkspaceSpec {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public WorkspaceSpec(String image, int cpuMillis, int memoryMib, int storageGib, List<Integer> ports,
                         Map<String, String> env, String startCommand) {
        this(image, cpuMillis, memoryMib, storageGib, ports, env, startCommand, List.of(), null);
    }

    /** The same workspace with a different environment (the agent's copy, with secrets resolved). */
    public WorkspaceSpec withEnv(Map<String, String> newEnv) {
        return new WorkspaceSpec(image, cpuMillis, memoryMib, storageGib, ports, newEnv, startCommand, tools, llm);
    }
}
