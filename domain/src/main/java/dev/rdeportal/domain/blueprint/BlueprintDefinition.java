package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import java.util.List;
import java.util.Map;

/**
 * What an admin writes for a blueprint. Validated on construction; used by commands only (events
 * carry {@link BlueprintDetails}, which never validates).
 */
public record BlueprintDefinition(
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

    private static final java.util.regex.Pattern TOOL_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,29}");
    public static final int MAX_TOOLS = 10;

    public BlueprintDefinition(String name, String clusterId, String image, Resources resources, List<Integer> ports,
                               Map<String, String> env, String startCommand) {
        this(name, clusterId, image, resources, ports, env, startCommand, List.of(), null, BlueprintAcl.OPEN);
    }

    public BlueprintDefinition(String name, String clusterId, String image, Resources resources, List<Integer> ports,
                               Map<String, String> env, String startCommand, List<Tool> tools, LlmSettings llm) {
        this(name, clusterId, image, resources, ports, env, startCommand, tools, llm, BlueprintAcl.OPEN);
    }

    public BlueprintDefinition {
        Validation.name("name", name);
        Validation.id("clusterId", clusterId);
        Validation.required("image", image);
        if (image.length() > 255 || image.chars().anyMatch(Character::isWhitespace)) {
            throw DomainException.invalid("image must be an image reference without spaces, at most 255 characters");
        }
        if (resources == null) {
            throw DomainException.invalid("resources are required");
        }
        Validation.range("resources.cpu (millicores)", resources.cpuMillis(), 100, Validation.MAX_CPU_MILLIS);
        Validation.range("resources.memory (MiB)", resources.memoryMib(), 64, Validation.MAX_MEMORY_MIB);
        Validation.range("resources.storage (GiB)", resources.storageGib(), 1, Validation.MAX_STORAGE_GIB);
        Validation.ports(ports);
        Validation.env(env);
        Validation.text("startCommand", startCommand);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (tools.size() > MAX_TOOLS) {
            throw DomainException.invalid("at most " + MAX_TOOLS + " tools");
        }
        for (Tool tool : tools) {
            if (tool == null || tool.name() == null || !TOOL_NAME.matcher(tool.name()).matches()) {
                throw DomainException.invalid("tool names must be lower-case letters, digits and '-', "
                        + "starting with a letter, at most 30 characters");
            }
            Validation.required("tool " + tool.name() + " command", tool.command());
            if (tool.command().length() > 1024) {
                throw DomainException.invalid("tool " + tool.name() + " command must be at most 1024 characters");
            }
        }
        if (tools.stream().map(Tool::name).distinct().count() != tools.size()) {
            throw DomainException.invalid("tool names must be distinct");
        }
        if (llm != null) {
            if (llm.kind() == null) {
                throw DomainException.invalid("llm.provider must be one of anthropic, openai, custom");
            }
            if (llm.kind() == LlmKind.CUSTOM && (llm.endpoint() == null || llm.endpoint().isBlank())) {
                throw DomainException.invalid("llm.endpoint is required for a custom provider");
            }
            if (llm.endpoint() != null && !llm.endpoint().isBlank() && !validEndpoint(llm.endpoint())) {
                throw DomainException.invalid("llm.endpoint must be an http(s) URL");
            }
        }
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
        acl = acl == null ? BlueprintAcl.OPEN : acl;
    }

    private static boolean validEndpoint(String endpoint) {
        try {
            java.net.URI uri = new java.net.URI(endpoint);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && endpoint.length() <= 2048;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public BlueprintDetails details() {
        return new BlueprintDetails(name, clusterId, image, resources, ports, env, startCommand, tools, llm, acl);
    }
}
