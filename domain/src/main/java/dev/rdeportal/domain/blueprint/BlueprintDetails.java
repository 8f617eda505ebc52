package dev.rdeportal.domain.blueprint;

import java.util.List;
import java.util.Map;

/** A blueprint's content as recorded in events. */
public record BlueprintDetails(
        String name,
        String clusterId,
        String image,
        Resources resources,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand,
        List<Tool> tools,
        LlmSettings llm) {

    /** Tools and the LLM provider arrived after the first events; older events read without them. */
    public BlueprintDetails {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public BlueprintDetails(String name, String clusterId, String image, Resources resources, List<Integer> ports,
                            Map<String, String> env, String startCommand) {
        this(name, clusterId, image, resources, ports, env, startCommand, List.of(), null);
    }

    public BlueprintDetails withLlm(LlmSettings newLlm) {
        return new BlueprintDetails(name, clusterId, image, resources, ports, env, startCommand, tools, newLlm);
    }
}
