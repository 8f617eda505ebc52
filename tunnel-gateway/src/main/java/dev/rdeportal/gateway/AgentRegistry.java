package dev.rdeportal.gateway;

import dev.rdeportal.proto.v1.OperationKind;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The agents connected to this gateway instance: one live control stream per agent id. A new
 * connection of the same agent replaces the old one (the old one is closed by its successor), since
 * an agent that reconnects has by definition given up on its previous stream, even if the gateway
 * has not noticed yet.
 *
 * <p>Exports {@code rde.agents.connected} and {@code rde.tunnel.operations.sent{kind}}.
 */
public final class AgentRegistry {

    private final ConcurrentMap<String, ControlSession> byAgentId = new ConcurrentHashMap<>();
    private final Map<dev.rdeportal.domain.workspace.OperationKind, Counter> operationsSent =
            new EnumMap<>(dev.rdeportal.domain.workspace.OperationKind.class);

    AgentRegistry(MeterRegistry meters) {
        Gauge.builder("rde.agents.connected", byAgentId, Map::size)
                .description("agents with a live control stream to this gateway")
                .register(meters);
        for (dev.rdeportal.domain.workspace.OperationKind kind : dev.rdeportal.domain.workspace.OperationKind.values()) {
            operationsSent.put(kind, Counter.builder("rde.tunnel.operations.sent")
                    .description("operations sent to agents, re-sends included")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
    }

    /** Whether an agent of the cluster has a live control stream to this gateway instance. */
    public boolean isConnected(String clusterId) {
        return forCluster(clusterId).isPresent();
    }

    /** Agents with a live control stream, oldest connection first. */
    public List<ConnectedAgent> connectedAgents() {
        List<ConnectedAgent> agents = new ArrayList<>();
        byAgentId.values().forEach(session -> agents.add(session.agent()));
        agents.sort(Comparator.comparing(ConnectedAgent::connectedAt));
        return agents;
    }

    /** Registers a session that completed its Hello; answers the one it replaces, if any. */
    ControlSession register(ControlSession session) {
        return byAgentId.put(session.agent().agentId(), session);
    }

    /** Removes the session only if it is still the registered one (a successor may have replaced it). */
    void unregister(ControlSession session) {
        byAgentId.remove(session.principal().agentId(), session);
    }

    /** The cluster's most recently connected agent: the one most likely to be the live installation. */
    Optional<ControlSession> forCluster(String clusterId) {
        return byAgentId.values().stream()
                .filter(s -> s.agent().clusterId().equals(clusterId))
                .max(Comparator.comparing(s -> s.agent().connectedAt()));
    }

    void operationSent(OperationKind kind) {
        dev.rdeportal.domain.workspace.OperationKind domainKind = ProtoConverters.kind(kind);
        if (domainKind != null) {
            operationsSent.get(domainKind).increment();
        }
    }

    /** Closes every control stream (shutdown); each session records its own disconnect. */
    void closeAll(Status status) {
        List.copyOf(byAgentId.values()).forEach(session -> session.close(status));
    }
}
