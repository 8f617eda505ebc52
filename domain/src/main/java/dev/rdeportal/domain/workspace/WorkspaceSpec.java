package dev.rdeportal.domain.workspace;

import java.util.List;
import java.util.Map;

/**
 * What a workspace is made of, copied from its blueprint at launch so that later blueprint edits
 * never change a running workspace. Carried by events: no validation here.
 */
public record WorkspaceSpec(
        String image,
        int cpuMillis,
        int memoryMib,
        int storageGib,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand) {

    public WorkspaceSpec {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
