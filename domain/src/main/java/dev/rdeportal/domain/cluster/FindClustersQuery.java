package dev.rdeportal.domain.cluster;

/** All clusters with their agents; answers {@code List<ClusterView>}. */
public record FindClustersQuery() {
}
