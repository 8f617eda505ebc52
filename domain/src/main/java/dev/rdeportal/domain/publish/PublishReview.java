package dev.rdeportal.domain.publish;

/**
 * What an approval did: the request as it now is, and {@code refusal} when the approval was
 * refused (the requester may no longer use the blueprint), else null.
 */
public record PublishReview(PublishRequest request, String refusal) {
}
