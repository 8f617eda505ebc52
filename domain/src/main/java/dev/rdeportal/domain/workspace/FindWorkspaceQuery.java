package dev.rdeportal.domain.workspace;

/** One workspace; answers {@code Optional<WorkspaceView>}. */
public record FindWorkspaceQuery(String workspaceId) {
}
