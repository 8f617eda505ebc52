package dev.rdeportal.domain.publish;

/**
 * The requests of a cluster whose operation has no answer yet, for re-sending (same operation id)
 * when its agent reconnects: APPROVED ones their publish, UNPUBLISHING ones their unpublish (the
 * view's {@code operationId} is the latest operation); answers {@code List<PublishRequestView>}.
 */
public record FindPendingPublishOperationsQuery(String clusterId) {
}
