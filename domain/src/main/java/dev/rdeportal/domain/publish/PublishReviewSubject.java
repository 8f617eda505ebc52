package dev.rdeportal.domain.publish;

/** What an approval must re-check: whether {@code requester} may still use {@code blueprintId}. */
public record PublishReviewSubject(String requestId, String requester, String blueprintId) {
}
