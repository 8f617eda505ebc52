package dev.rdeportal.domain.publish;

/**
 * The APPROVED requests of a cluster whose publish operation has no answer yet, for re-sending
 * (same operation id) when its agent reconnects; answers {@code List<PublishRequestView>}.
 */
public record FindPendingPublishOperationsQuery(String clusterId) {
}
