package dev.rdeportal.agent;

import dev.rdeportal.proto.JoinToken;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What the agent was started with, validated: a bad flag fails before anything touches the
 * network or the data directory.
 *
 * @param joinToken null when the agent already holds a credential
 * @param caCert    null to use {@code <dataDir>/ca.pem} or the join token's CA fingerprint
 */
record AgentConfig(String gatewayHost, int gatewayPort, Path dataDir, Runtime runtime, Path caCert, JoinToken joinToken) {

    enum Runtime {
        LOCAL, KUBERNETES;

        static Runtime parse(String name) {
            String normalized = name == null || name.isBlank() ? "local" : name.strip().toLowerCase(Locale.ROOT);
            return switch (normalized) {
                case "local" -> LOCAL;
                case "kubernetes" -> KUBERNETES;
                default -> throw new IllegalArgumentException("unknown runtime '" + name + "': expected kubernetes or local");
            };
        }
    }

    AgentConfig {
        if (gatewayHost == null || gatewayHost.isBlank()) {
            throw new IllegalArgumentException("gateway host is missing");
        }
        if (gatewayPort < 1 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gateway port " + gatewayPort + " is out of range");
        }
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
        runtime = runtime == null ? Runtime.LOCAL : runtime;
        caCert = caCert == null ? null : caCert.toAbsolutePath().normalize();
    }

    /** From the command line's strings; messages never quote the token. */
    static AgentConfig of(String gateway, String joinToken, String runtime, Path dataDir, Path caCert) {
        if (gateway == null || gateway.isBlank()) {
            throw new IllegalArgumentException("--gateway HOST:PORT is required (or RDE_AGENT_GATEWAY)");
        }
        String trimmed = gateway.strip();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("--gateway must be HOST:PORT, got '" + trimmed + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:8443
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gateway must be HOST:PORT, got '" + trimmed + "'");
        }
        JoinToken token = joinToken == null || joinToken.isBlank() ? null : JoinToken.parse(joinToken);
        return new AgentConfig(host, port, dataDir == null ? Path.of("agent-data") : dataDir, Runtime.parse(runtime), caCert, token);
    }

    String gateway() {
        return (gatewayHost.contains(":") ? "[" + gatewayHost + "]" : gatewayHost) + ":" + gatewayPort;
    }

    @Override
    public String toString() {
        return "AgentConfig[gateway=" + gateway() + ", dataDir=" + dataDir + ", runtime=" + runtime
                + ", caCert=" + caCert + ", joinToken=" + (joinToken == null ? "none" : joinToken) + "]";
    }
}
