package dev.rdeportal.agent.runtime.local;

import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import java.util.Objects;

/**
 * {@code published.json}: what survives an agent restart of one published app.
 *
 * @param port    the host port the app listens on, kept across restarts while free
 * @param phase   RUNNING means "started and not stopped since", checked against {@code process}
 * @param process the running tree's root, null when nothing runs
 */
record PublishRecord(PublishSpec spec, int port, WorkspacePhase phase, String reason, WorkspaceRecord.ProcessRef process) {

    PublishRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(phase, "phase");
        reason = reason == null ? "" : reason;
    }

    PublishRecord with(int newPort, WorkspacePhase newPhase, String newReason, WorkspaceRecord.ProcessRef newProcess) {
        return new PublishRecord(spec, newPort, newPhase, newReason, newProcess);
    }
}
