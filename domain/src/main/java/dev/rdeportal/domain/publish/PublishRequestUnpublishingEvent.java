package dev.rdeportal.domain.publish;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * {@code by} asked to take the app down; the unpublish operation {@code operationId} goes to the
 * agent of {@code clusterId}, which removes the app named {@code publishName}.
 */
@Revision("1")
public record PublishRequestUnpublishingEvent(String requestId, String by, Instant at, String operationId,
                                              String clusterId, String workspaceId, String publishName) {
}
