package dev.rdeportal.domain.publish;

import org.axonframework.serialization.Revision;

/**
 * The app could not be removed (the agent's reason, or no answer in time): the request is back in
 * {@code status}, where it was before, and may be unpublished again.
 */
@Revision("1")
public record PublishRequestUnpublishFailedEvent(String requestId, String operationId, String reason,
                                                 PublishStatus status) {
}
