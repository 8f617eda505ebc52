package dev.rdeportal.agent.runtime.local;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import java.util.Map;
import java.util.Objects;

/**
 * {@code workspace.json}: what survives an agent restart.
 *
 * @param phase   RUNNING means "started and not stopped since"; whether it really runs is checked
 *                against {@code process}
 * @param ports   blueprint port to assigned host port, reused across restarts while free
 * @param process the running tree's root, null when nothing runs (or the workspace is shell-only)
 */
record WorkspaceRecord(WorkspaceSpec spec, Map<Integer, Integer> ports, WorkspacePhase phase, String reason,
                       ProcessRef process) {

    WorkspaceRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(phase, "phase");
        ports = ports == null ? Map.of() : Map.copyOf(ports);
        reason = reason == null ? "" : reason;
    }

    /**
     * Identifies a process beyond its pid, which the kernel reuses: pid plus start instant.
     *
     * @param startedAtMillis when the tree was started, by the agent's clock (for fail-fast detection)
     */
    record ProcessRef(long pid, long processStartMillis, long startedAtMillis) {
    }

    WorkspaceRecord withPhase(WorkspacePhase newPhase, String newReason, ProcessRef newProcess) {
        return new WorkspaceRecord(spec, ports, newPhase, newReason, newProcess);
    }
}
