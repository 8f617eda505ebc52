package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.runtime.WorkspaceState;
import java.util.Objects;

/** The recorded outcome of one applied operation, keyed by its id. */
record JournalEntry(String operationId, String kind, String workspaceId, boolean success, String reason,
                    WorkspaceState state, long appliedAtMillis) {

    JournalEntry {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(state, "state");
        kind = Objects.requireNonNullElse(kind, "");
        reason = Objects.requireNonNullElse(reason, "");
    }
}
