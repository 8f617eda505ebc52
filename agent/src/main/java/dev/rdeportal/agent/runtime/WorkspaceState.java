package dev.rdeportal.agent.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * What a runtime observes about one workspace.
 *
 * @param ports  blueprint (app) port to the port where the agent reaches it
 * @param reason why it is in this phase, when that is not obvious (a failure, an exit status); never null
 */
public record WorkspaceState(String workspaceId, WorkspacePhase phase, Map<Integer, Integer> ports, String reason) {

    public WorkspaceState {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(phase, "phase");
        ports = ports == null ? Map.of() : Map.copyOf(ports);
        reason = reason == null ? "" : reason;
    }

    public static WorkspaceState missing(String workspaceId) {
        return new WorkspaceState(workspaceId, WorkspacePhase.MISSING, Map.of(), "");
    }
}
