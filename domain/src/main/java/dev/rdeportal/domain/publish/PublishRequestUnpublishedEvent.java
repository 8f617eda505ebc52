package dev.rdeportal.domain.publish;

import org.axonframework.serialization.Revision;

/** The agent removed the app: its address answers 404 from now on. */
@Revision("1")
public record PublishRequestUnpublishedEvent(String requestId, String operationId) {
}
