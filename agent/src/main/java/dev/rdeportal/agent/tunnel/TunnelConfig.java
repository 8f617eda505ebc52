package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.JoinToken;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the tunnel client.
 *
 * @param gateway          {@code host:port}, for messages and the stored credential
 * @param joinToken        needed only while the agent has no credential; null otherwise
 * @param hostname         reported on Join
 * @param defaultHeartbeat used when the gateway's Welcome names no interval
 * @param outboundCapacity messages waiting for the gateway to read before the stream is torn down
 * @param callTimeout      deadline of the unary Join call
 */
public record TunnelConfig(String gateway, JoinToken joinToken, String hostname, String agentVersion,
                           Duration defaultHeartbeat, int outboundCapacity, Duration callTimeout) {

    public TunnelConfig {
        Objects.requireNonNull(gateway, "gateway");
        hostname = hostname == null || hostname.isBlank() ? "unknown" : hostname;
        agentVersion = agentVersion == null || agentVersion.isBlank() ? "dev" : agentVersion;
        defaultHeartbeat = defaultHeartbeat == null ? Duration.ofSeconds(30) : defaultHeartbeat;
        if (defaultHeartbeat.isNegative() || defaultHeartbeat.isZero()) {
            throw new IllegalArgumentException("defaultHeartbeat must be positive");
        }
        outboundCapacity = outboundCapacity <= 0 ? 256 : outboundCapacity;
        callTimeout = callTimeout == null ? Duration.ofSeconds(15) : callTimeout;
    }

    public static TunnelConfig of(String gateway, JoinToken joinToken, String hostname, String agentVersion) {
        return new TunnelConfig(gateway, joinToken, hostname, agentVersion, null, 0, null);
    }

    @Override
    public String toString() {
        return "TunnelConfig[gateway=" + gateway + ", joinToken=" + (joinToken == null ? "none" : "given")
                + ", hostname=" + hostname + ", agentVersion=" + agentVersion + "]";
    }
}
