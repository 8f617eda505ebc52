package dev.rdeportal.agent.runtime;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a workspace should be, as the control plane decided it. Resource figures are the
 * blueprint's limits (millicores, MiB, GiB); a runtime that cannot enforce them ignores them.
 *
 * @param ports        the blueprint's app ports, in blueprint order (the first one is "the" port)
 * @param startCommand shell command run when the workspace starts; empty for a shell-only workspace
 */
public record WorkspaceSpec(
        String workspaceId,
        String name,
        String owner,
        String blueprintId,
        String image,
        int cpuMillis,
        int memoryMib,
        int storageGib,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand) {

    /**
     * Workspace ids become directory names and (in Kubernetes) namespace suffixes, so only a safe
     * subset is accepted: nothing that could climb out of a directory.
     */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public WorkspaceSpec {
        requireValidId(workspaceId);
        name = name == null ? "" : name;
        owner = owner == null ? "" : owner;
        blueprintId = blueprintId == null ? "" : blueprintId;
        image = image == null ? "" : image;
        if (cpuMillis < 0 || memoryMib < 0 || storageGib < 0) {
            throw new IllegalArgumentException("workspace " + workspaceId + ": negative resource limit");
        }
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (ports.stream().anyMatch(p -> p < 1 || p > 65535)) {
            throw new IllegalArgumentException("workspace " + workspaceId + ": port out of range in " + ports);
        }
        if (new HashSet<>(ports).size() != ports.size()) {
            throw new IllegalArgumentException("workspace " + workspaceId + ": duplicate port in " + ports);
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        for (String key : env.keySet()) {
            if (!ENV_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("workspace " + workspaceId + ": invalid environment variable name '" + key + "'");
            }
        }
        startCommand = startCommand == null ? "" : startCommand.strip();
    }

    /** Minimal spec, enough for a runtime: an id, ports and a start command. */
    public static WorkspaceSpec of(String workspaceId, List<Integer> ports, Map<String, String> env, String startCommand) {
        return new WorkspaceSpec(workspaceId, workspaceId, "", "", "", 0, 0, 0, ports, env, startCommand);
    }

    public boolean shellOnly() {
        return startCommand.isEmpty();
    }

    /** Rejects ids that are not safe as a directory or namespace name. */
    public static String requireValidId(String workspaceId) {
        if (workspaceId == null || !ID.matcher(workspaceId).matches()) {
            throw new IllegalArgumentException("invalid workspace id '" + workspaceId
                    + "': expected 1-63 letters, digits, '-' or '_', starting with a letter or digit");
        }
        return workspaceId;
    }
}
