package dev.rdeportal.gateway;

import java.time.Instant;

/**
 * A live control stream, as the admin topology view shows it.
 *
 * @param remoteAddress   the address the agent connected from
 * @param protocolVersion the negotiated version, {@code major.minor}
 */
public record ConnectedAgent(
        String agentId,
        String clusterId,
        String remoteAddress,
        String protocolVersion,
        String runtime,
        String agentVersion,
        Instant connectedAt) {
}
