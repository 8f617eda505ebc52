package dev.rdeportal.agent.runtime;

/** What a runtime can truthfully say about a workspace. */
public enum WorkspacePhase {
    /** Known, its processes (or pod) running. */
    RUNNING,
    /** Known (directory or volume exists), nothing running. */
    STOPPED,
    /** The runtime has no trace of it. */
    MISSING,
    /** Known, but its last start failed; the reason says why. */
    FAILED
}
