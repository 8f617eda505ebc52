package dev.rdeportal.domain.workspace;

/** What the agent is asked to do to a workspace. */
public enum OperationKind {
    PROVISION, START, STOP, DELETE
}
