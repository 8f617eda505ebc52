package dev.rdeportal.query.cluster;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.cluster.AgentConnectedEvent;
import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.AgentDisconnectedEvent;
import dev.rdeportal.domain.cluster.AgentJoinedEvent;
import dev.rdeportal.domain.cluster.ClusterRegisteredEvent;
import dev.rdeportal.domain.cluster.ClusterView;
import dev.rdeportal.domain.cluster.ClusterView.AgentView;
import dev.rdeportal.domain.cluster.FindAgentCredentialQuery;
import dev.rdeportal.domain.cluster.FindClustersQuery;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The cluster and agent read model from event to JSON: projection, query handler and endpoint. */
class ClusterTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final TopologyChanges topology = new TopologyChanges();
    private final ClusterProjection projection = new ClusterProjection(db.jdbc(), topology);
    private final ClusterReadRepository repository = new ClusterReadRepository(db.r2dbc());
    private final ClusterQueryHandler handler = new ClusterQueryHandler(repository);
    private final WebTestClient client = WebTestClient.bindToController(new ClusterQueryController(repository))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @Test
    void everyChangeToClustersAndAgentsTellsTheTopology() {
        AtomicInteger notices = new AtomicInteger();
        topology.notices().subscribe(n -> notices.incrementAndGet());
        projection.on(new ClusterRegisteredEvent("c1", "Production", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));
        projection.on(new AgentConnectedEvent("c1", "a1", "1.0", "kubernetes", "0.1.0"), at(2));
        projection.on(new AgentDisconnectedEvent("c1", "a1", "connection reset"), at(3));
        assertThat(notices).hasValue(4);
        // A connection change of an agent the model does not hold changes nothing.
        projection.on(new AgentConnectedEvent("c1", "a9", "1.0", "kubernetes", "0.1.0"), at(4));
        assertThat(notices).hasValue(4);
    }

    @Test
    void anAgentIsDisconnectedAfterJoiningAndFollowsItsConnection() throws Exception {
        projection.on(new ClusterRegisteredEvent("c1", "Production", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));
        assertThat(agents()).containsExactly(new AgentView("a1", "node-1", false, null, null, at(1)));

        projection.on(new AgentConnectedEvent("c1", "a1", "1.0", "kubernetes", "0.1.0"), at(2));
        assertThat(agents()).containsExactly(new AgentView("a1", "node-1", true, "1.0", "kubernetes", at(2)));

        projection.on(new AgentDisconnectedEvent("c1", "a1", "connection reset"), at(3));
        assertThat(agents()).containsExactly(new AgentView("a1", "node-1", false, "1.0", "kubernetes", at(3)));
    }

    @Test
    void clustersAreListedByNameEachWithItsOwnAgents() throws Exception {
        projection.on(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        projection.on(new ClusterRegisteredEvent("c2", "dev", "admin@example.com"), T0);
        projection.on(new ClusterRegisteredEvent("c3", "empty", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "prod-1"), at(1));
        projection.on(new AgentJoinedEvent("c2", "a2", HASH, "dev-1"), at(1));

        List<ClusterView> clusters = handler.handle(new FindClustersQuery()).get(5, TimeUnit.SECONDS);

        assertThat(clusters).extracting(ClusterView::id).containsExactly("c2", "c3", "c1");
        assertThat(clusters.get(0).agents()).extracting(AgentView::agentId).containsExactly("a2");
        assertThat(clusters.get(1).agents()).isEmpty();
        assertThat(clusters.get(2).agents()).extracting(AgentView::agentId).containsExactly("a1");
        assertThat(clusters.get(2).registeredAt()).isEqualTo(T0);
    }

    @Test
    void theGatewayFindsAnAgentsCredentialHash() throws Exception {
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));

        assertThat(handler.handle(new FindAgentCredentialQuery("a1")).get(5, TimeUnit.SECONDS))
                .contains(new AgentCredentialView("a1", "c1", HASH));
        assertThat(handler.handle(new FindAgentCredentialQuery("a2")).get(5, TimeUnit.SECONDS))
                .isEqualTo(Optional.empty());
    }

    @Test
    void handlingTheSameEventsAgainLeavesTheSameRows() {
        projection.on(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        projection.on(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));
        projection.on(new AgentConnectedEvent("c1", "a1", "1.0", "local", "0.1.0"), at(2));
        List<Map<String, Object>> once = rows();
        projection.on(new AgentConnectedEvent("c1", "a1", "1.0", "local", "0.1.0"), at(2));

        assertThat(rows()).isEqualTo(once);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM cluster_view", Integer.class)).isOne();
    }

    @Test
    void resetEmptiesBothTables() throws Exception {
        projection.on(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));

        projection.reset();

        assertThat(handler.handle(new FindClustersQuery()).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(handler.handle(new FindAgentCredentialQuery("a1")).get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void adminsSeeClustersAndAgentsButNeverCredentials() {
        projection.on(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        projection.on(new AgentJoinedEvent("c1", "a1", HASH, "node-1"), at(1));
        projection.on(new AgentConnectedEvent("c1", "a1", "1.0", "kubernetes", "0.1.0"), at(2));

        client.get().uri("/api/v1/clusters").header(USER_HEADER, "root@example.com").header(ADMIN_HEADER, "true")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].id").isEqualTo("c1")
                .jsonPath("$.items[0].name").isEqualTo("production")
                .jsonPath("$.items[0].registeredAt").isEqualTo("2025-03-01T09:00:00Z")
                .jsonPath("$.items[0].agents[0].agentId").isEqualTo("a1")
                .jsonPath("$.items[0].agents[0].hostname").isEqualTo("node-1")
                .jsonPath("$.items[0].agents[0].connected").isEqualTo(true)
                .jsonPath("$.items[0].agents[0].protocolVersion").isEqualTo("1.0")
                .jsonPath("$.items[0].agents[0].runtime").isEqualTo("kubernetes")
                .jsonPath("$.items[0].agents[0].lastChangeAt").isEqualTo("2025-03-01T09:02:00Z")
                .consumeWith(r -> assertThat(new String(r.getResponseBody()))
                        .contains("\"next\":null")
                        .doesNotContain(HASH)
                        .doesNotContainIgnoringCase("credential"));
    }

    @Test
    void membersMayNotListClusters() {
        client.get().uri("/api/v1/clusters").header(USER_HEADER, "ann@example.com").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
    }

    private List<AgentView> agents() throws Exception {
        return handler.handle(new FindClustersQuery()).get(5, TimeUnit.SECONDS).get(0).agents();
    }

    private List<Map<String, Object>> rows() {
        return db.jdbc().queryForList("SELECT * FROM agent_view ORDER BY agent_id");
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }
}
