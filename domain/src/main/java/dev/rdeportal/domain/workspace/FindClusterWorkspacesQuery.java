package dev.rdeportal.domain.workspace;

/**
 * Every workspace placed on a cluster, DELETED included, for reconciliation against an agent's
 * inventory; answers {@code List<WorkspaceView>}.
 */
public record FindClusterWorkspacesQuery(String clusterId) {
}
