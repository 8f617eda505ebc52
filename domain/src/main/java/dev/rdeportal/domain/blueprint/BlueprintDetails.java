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
        LlmSettings llm,
        BlueprintAcl acl) {

    /**
     * Tools, the LLM provider and the ACL arrived after the first events; older events read without
     * them (an absent ACL is open).
     */
    public BlueprintDetails {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
        tools = tools == null ? List.of() : List.copyOf(tools);
        acl = acl == null ? BlueprintAcl.OPEN : acl;
    }

    public BlueprintDetails(String name, String clusterId, String image, Resources resources, List<Integer> ports,
                            Map<String, String> env, String startCommand, List<Tool> tools, LlmSettings llm) {
        this(name, clusterId, image, resources, ports, env, startCommand, tools, llm, BlueprintAcl.OPEN);
    }

    public BlueprintDetails(String name, String clusterId, String image, Resources resources, List<Integer> ports,
                            Map<String, String> env, String startCommand) {
        this(name, clusterId, image, resources, ports, env, startCommand, List.of(), null, BlueprintAcl.OPEN);
    }

    public BlueprintDetails withLlm(LlmSettings newLlm) {
        return new BlueprintDetails(name, clusterId, image, resources, ports, env, startCommand, tools, newLlm, acl);
    }
}
