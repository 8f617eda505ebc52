package dev.rdeportal.domain.cluster;

public record AgentCredentialView(String agentId, String clusterId, String credentialHash) {
}
