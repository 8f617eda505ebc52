package dev.rdeportal.domain.workspace;

/** The lifecycle a user sees (API.md). */
public enum WorkspaceStatus {
    PENDING, PROVISIONING, RUNNING, STOPPING, STOPPED, DELETING, DELETED, FAILED
}
