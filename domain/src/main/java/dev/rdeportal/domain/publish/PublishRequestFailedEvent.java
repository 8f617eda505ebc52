package dev.rdeportal.domain.publish;

import org.axonframework.serialization.Revision;

/** The approved publish did not happen: the agent's reason, or no answer in time. */
@Revision("1")
public record PublishRequestFailedEvent(String requestId, String operationId, String reason) {
}
