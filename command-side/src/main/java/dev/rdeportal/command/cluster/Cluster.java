package dev.rdeportal.command.cluster;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.cluster.AgentConnectedEvent;
import dev.rdeportal.domain.cluster.AgentDisconnectedEvent;
import dev.rdeportal.domain.cluster.AgentJoinRefusedEvent;
import dev.rdeportal.domain.cluster.AgentJoinedEvent;
import dev.rdeportal.domain.cluster.ClusterRegisteredEvent;
import dev.rdeportal.domain.cluster.IssueJoinTokenCommand;
import dev.rdeportal.domain.cluster.JoinAgentCommand;
import dev.rdeportal.domain.cluster.JoinTokenIssuedEvent;
import dev.rdeportal.domain.cluster.RecordAgentConnectedCommand;
import dev.rdeportal.domain.cluster.RecordAgentDisconnectedCommand;
import dev.rdeportal.domain.cluster.RegisterClusterCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A customer cluster and the agents that joined it. Holds at most one unused join token (only its
 * hash); joining consumes it, so a token works exactly once.
 */
@Aggregate
class Cluster {

    @AggregateIdentifier
    private String id;
    private String unusedTokenHash;
    private final Set<String> agents = new HashSet<>();
    /** The last join, so an agent repeating a join whose answer it lost gets the same answer. */
    private String lastJoinAgentId;
    private String lastJoinCredentialHash;
    private String lastJoinTokenHash;

    Cluster() {
        // for Axon
    }

    @CommandHandler
    Cluster(RegisterClusterCommand cmd) {
        apply(new ClusterRegisteredEvent(cmd.clusterId(), cmd.name(), cmd.registeredBy()));
        apply(new JoinTokenIssuedEvent(cmd.clusterId(), cmd.joinTokenHash(), cmd.registeredBy()));
    }

    @CommandHandler
    void handle(IssueJoinTokenCommand cmd) {
        apply(new JoinTokenIssuedEvent(id, cmd.joinTokenHash(), cmd.issuedBy()));
    }

    /** A refusal is recorded, not thrown: the business must see every attempt. */
    @CommandHandler
    boolean handle(JoinAgentCommand cmd) {
        if (unusedTokenHash == null && isRepeatOfLastJoin(cmd)) {
            return true;
        }
        if (unusedTokenHash == null) {
            apply(new AgentJoinRefusedEvent(id, cmd.hostname(), "no unused join token (already used or never issued)"));
            return false;
        }
        if (cmd.joinTokenHash() == null || !MessageDigest.isEqual(
                unusedTokenHash.getBytes(StandardCharsets.UTF_8), cmd.joinTokenHash().getBytes(StandardCharsets.UTF_8))) {
            apply(new AgentJoinRefusedEvent(id, cmd.hostname(), "join token does not match"));
            return false;
        }
        apply(new AgentJoinedEvent(id, cmd.agentId(), cmd.credentialHash(), cmd.hostname()));
        return true;
    }

    @CommandHandler
    void handle(RecordAgentConnectedCommand cmd) {
        requireAgent(cmd.agentId());
        apply(new AgentConnectedEvent(id, cmd.agentId(), cmd.protocolVersion(), cmd.runtime(), cmd.agentVersion()));
    }

    @CommandHandler
    void handle(RecordAgentDisconnectedCommand cmd) {
        requireAgent(cmd.agentId());
        apply(new AgentDisconnectedEvent(id, cmd.agentId(), cmd.reason()));
    }

    private boolean isRepeatOfLastJoin(JoinAgentCommand cmd) {
        return lastJoinAgentId != null && lastJoinAgentId.equals(cmd.agentId())
                && equal(lastJoinCredentialHash, cmd.credentialHash()) && equal(lastJoinTokenHash, cmd.joinTokenHash());
    }

    private static boolean equal(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private void requireAgent(String agentId) {
        if (!agents.contains(agentId)) {
            throw DomainException.notFound("agent", agentId);
        }
    }

    @EventSourcingHandler
    void on(ClusterRegisteredEvent e) {
        id = e.clusterId();
    }

    @EventSourcingHandler
    void on(JoinTokenIssuedEvent e) {
        unusedTokenHash = e.joinTokenHash();
    }

    @EventSourcingHandler
    void on(AgentJoinedEvent e) {
        lastJoinAgentId = e.agentId();
        lastJoinCredentialHash = e.credentialHash();
        lastJoinTokenHash = unusedTokenHash;
        unusedTokenHash = null;
        agents.add(e.agentId());
    }
}
