package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.FindClusterWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers the workspace queries of the domain from the read model, without blocking the caller. */
@Component
class WorkspaceQueryHandler {

    private final WorkspaceReadRepository workspaces;

    WorkspaceQueryHandler(WorkspaceReadRepository workspaces) {
        this.workspaces = workspaces;
    }

    @QueryHandler
    CompletableFuture<Optional<WorkspaceView>> handle(FindWorkspaceQuery query) {
        return workspaces.findById(query.workspaceId())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    @QueryHandler
    CompletableFuture<List<WorkspaceView>> handle(FindOwnedWorkspacesQuery query) {
        return workspaces.findOwned(query.owner()).collectList().toFuture();
    }

    @QueryHandler
    CompletableFuture<List<WorkspaceView>> handle(FindClusterWorkspacesQuery query) {
        return workspaces.findByCluster(query.clusterId()).collectList().toFuture();
    }
}
