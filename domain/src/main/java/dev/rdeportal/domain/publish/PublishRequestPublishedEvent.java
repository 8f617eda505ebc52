package dev.rdeportal.domain.publish;

import org.axonframework.serialization.Revision;

/** The agent runs the app from its snapshot; members reach it at {@code url}. */
@Revision("1")
public record PublishRequestPublishedEvent(String requestId, String operationId, String url) {
}
