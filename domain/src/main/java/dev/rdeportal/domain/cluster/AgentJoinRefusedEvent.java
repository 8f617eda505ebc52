package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

/**
 * A join attempt was refused. Names no token value. {@code clusterId} is what the token claimed
 * (null when it was unreadable); the client IP is in the metadata.
 */
@Revision("1")
public record AgentJoinRefusedEvent(String clusterId, String hostname, String reason) {
}
