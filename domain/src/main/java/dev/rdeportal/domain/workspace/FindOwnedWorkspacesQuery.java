package dev.rdeportal.domain.workspace;

/** The workspaces of one owner, newest first, DELETED left out; answers {@code List<WorkspaceView>}. */
public record FindOwnedWorkspacesQuery(String owner) {
}
