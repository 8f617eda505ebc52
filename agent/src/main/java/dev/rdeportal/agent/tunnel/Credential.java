package dev.rdeportal.agent.tunnel;

import java.util.Objects;

/**
 * The agent's own long-lived identity, obtained once with a join token ({@code credential.json}).
 *
 * @param gateway {@code host:port} the agent joined through; used when none is given on restart
 */
public record Credential(String agentId, String clusterId, String secret, String gateway) {

    public Credential {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("credential without agent id");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("credential for agent " + agentId + " without secret");
        }
        clusterId = Objects.requireNonNullElse(clusterId, "");
        gateway = Objects.requireNonNullElse(gateway, "");
    }

    @Override
    public String toString() {
        return "Credential[agent=" + agentId + ", cluster=" + clusterId + ", gateway=" + gateway + "]";
    }
}
