package dev.rdeportal.query.cluster;

import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.ClusterView;
import dev.rdeportal.domain.cluster.FindAgentCredentialQuery;
import dev.rdeportal.domain.cluster.FindClustersQuery;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers the cluster queries of the domain from the read model, without blocking the caller. */
@Component
class ClusterQueryHandler {

    private final ClusterReadRepository clusters;

    ClusterQueryHandler(ClusterReadRepository clusters) {
        this.clusters = clusters;
    }

    @QueryHandler
    CompletableFuture<Optional<AgentCredentialView>> handle(FindAgentCredentialQuery query) {
        return clusters.findAgentCredential(query.agentId())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    @QueryHandler
    CompletableFuture<List<ClusterView>> handle(FindClustersQuery query) {
        return clusters.findAll().toFuture();
    }
}
