package dev.rdeportal.command.cluster;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.cluster.AgentConnectedEvent;
import dev.rdeportal.domain.cluster.AgentJoinRefusedEvent;
import dev.rdeportal.domain.cluster.AgentJoinedEvent;
import dev.rdeportal.domain.cluster.ClusterRegisteredEvent;
import dev.rdeportal.domain.cluster.IssueJoinTokenCommand;
import dev.rdeportal.domain.cluster.JoinAgentCommand;
import dev.rdeportal.domain.cluster.JoinTokenIssuedEvent;
import dev.rdeportal.domain.cluster.RecordAgentConnectedCommand;
import dev.rdeportal.domain.cluster.RegisterClusterCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterTest {

    static final ClusterRegisteredEvent REGISTERED = new ClusterRegisteredEvent("local", "Local", "admin@example.com");
    static final JoinTokenIssuedEvent TOKEN = new JoinTokenIssuedEvent("local", "hash-1", "admin@example.com");
    static final AgentJoinedEvent JOINED = new AgentJoinedEvent("local", "agent-1", "cred-hash", "host");

    AggregateTestFixture<Cluster> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Cluster.class);
    }

    @Test
    void registerIssuesTheFirstToken() {
        fixture.givenNoPriorActivity()
                .when(new RegisterClusterCommand("local", "Local", "hash-1", "admin@example.com"))
                .expectEvents(REGISTERED, TOKEN);
    }

    @Test
    void matchingTokenJoinsTheAgent() {
        fixture.given(REGISTERED, TOKEN)
                .when(new JoinAgentCommand("local", "hash-1", "agent-1", "cred-hash", "host"))
                .expectResultMessagePayload(true)
                .expectEvents(JOINED);
    }

    @Test
    void reusedTokenIsRefusedAndRecorded() {
        fixture.given(REGISTERED, TOKEN, JOINED)
                .when(new JoinAgentCommand("local", "hash-1", "agent-2", "cred-2", "other"))
                .expectResultMessagePayload(false)
                .expectEvents(new AgentJoinRefusedEvent("local", "other",
                        "no unused join token (already used or never issued)"));
    }

    @Test
    void theSameAgentRepeatingItsJoinGetsTheSameAnswerAndNothingNewIsRecorded() {
        fixture.given(REGISTERED, TOKEN, JOINED)
                .when(new JoinAgentCommand("local", "hash-1", "agent-1", "cred-hash", "host"))
                .expectResultMessagePayload(true)
                .expectNoEvents();
        fixture.given(REGISTERED, TOKEN, JOINED)
                .when(new JoinAgentCommand("local", "hash-1", "agent-1", "another-cred", "host"))
                .expectResultMessagePayload(false);
    }

    @Test
    void wrongTokenIsRefusedAndRecorded() {
        fixture.given(REGISTERED, TOKEN)
                .when(new JoinAgentCommand("local", "hash-x", "agent-2", "cred-2", "other"))
                .expectResultMessagePayload(false)
                .expectEvents(new AgentJoinRefusedEvent("local", "other", "join token does not match"));
    }

    @Test
    void newTokenReplacesTheUnusedOne() {
        fixture.given(REGISTERED, TOKEN, new JoinTokenIssuedEvent("local", "hash-2", "admin@example.com"))
                .when(new JoinAgentCommand("local", "hash-1", "agent-2", "cred-2", "other"))
                .expectResultMessagePayload(false);
        fixture.given(REGISTERED, TOKEN, JOINED)
                .when(new IssueJoinTokenCommand("local", "hash-3", "admin@example.com"))
                .expectEvents(new JoinTokenIssuedEvent("local", "hash-3", "admin@example.com"));
    }

    @Test
    void onlyJoinedAgentsConnect() {
        fixture.given(REGISTERED, TOKEN, JOINED)
                .when(new RecordAgentConnectedCommand("local", "agent-1", "1.0", "local", "0.1.0"))
                .expectEvents(new AgentConnectedEvent("local", "agent-1", "1.0", "local", "0.1.0"));
        fixture.given(REGISTERED, TOKEN)
                .when(new RecordAgentConnectedCommand("local", "agent-x", "1.0", "local", "0.1.0"))
                .expectException(DomainException.class)
                .expectNoEvents();
    }
}
