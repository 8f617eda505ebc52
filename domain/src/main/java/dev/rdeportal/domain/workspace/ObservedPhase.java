package dev.rdeportal.domain.workspace;

/** What an agent reports it actually has for a workspace (inventory or an unsolicited report). */
public enum ObservedPhase {
    RUNNING, STOPPED, MISSING, FAILED
}
