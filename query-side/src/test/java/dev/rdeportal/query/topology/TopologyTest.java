package dev.rdeportal.query.topology;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.query.cluster.ClusterReadRepository;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import dev.rdeportal.query.support.Timestamps;
import dev.rdeportal.query.topology.TopologyResponse.AgentNode;
import dev.rdeportal.query.topology.TopologyResponse.BlueprintNode;
import dev.rdeportal.query.topology.TopologyResponse.WorkspaceNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The topology graph from the read models to JSON, and its live stream. */
class TopologyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final TopologyReadRepository repository = new TopologyReadRepository(db.r2dbc(), new ClusterReadRepository(db.r2dbc()));
    private final TopologyChanges changes = new TopologyChanges();
    private final WebTestClient client = WebTestClient.bindToController(new TopologyController(repository, changes))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @Test
    void theGraphHasClustersWithAgentsBlueprintsAndLiveWorkspaces() {
        cluster("c1", "production");
        cluster("c2", "dev");
        agent("a1", "c1", "prod-1", true);
        agent("a2", "c1", "prod-2", false);
        blueprint("bp1", "java", "c1");
        blueprint("bp2", "any", null);
        workspace("w1", "mine", "bp1", "c1", "RUNNING");
        workspace("w2", "gone", "bp1", "c1", "DELETED");

        TopologyResponse graph = repository.load().block(Duration.ofSeconds(5));

        assertThat(graph.clusters()).extracting(TopologyResponse.ClusterNode::id).containsExactly("c2", "c1");
        assertThat(graph.clusters().get(0).agents()).isEmpty();
        assertThat(graph.clusters().get(1).agents()).containsExactly(
                new AgentNode("a1", "prod-1", true, "1.0", "local", T0),
                new AgentNode("a2", "prod-2", false, "1.0", "local", T0));
        assertThat(graph.blueprints()).containsExactly(new BlueprintNode("bp2", "any", null),
                new BlueprintNode("bp1", "java", "c1"));
        assertThat(graph.workspaces()).containsExactly(
                new WorkspaceNode("w1", "mine", "u@example.com", "RUNNING", null, "bp1", "c1"));
    }

    @Test
    void adminsReadTheGraphAsJsonWithoutCredentials() {
        cluster("c1", "production");
        agent("a1", "c1", "prod-1", true);
        workspace("w1", "mine", "bp1", "c1", "STOPPED");

        client.get().uri("/api/v1/admin/topology").header(USER_HEADER, "root@example.com")
                .header(ADMIN_HEADER, "true")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.clusters[0].id").isEqualTo("c1")
                .jsonPath("$.clusters[0].agents[0].id").isEqualTo("a1")
                .jsonPath("$.clusters[0].agents[0].connected").isEqualTo(true)
                .jsonPath("$.clusters[0].agents[0].lastSeen").isEqualTo("2025-03-01T09:00:00Z")
                .jsonPath("$.clusters[0].agents[0].credentialHash").doesNotExist()
                .jsonPath("$.blueprints").isEmpty()
                .jsonPath("$.workspaces[0].status").isEqualTo("STOPPED")
                .jsonPath("$.workspaces[0].owner").isEqualTo("u@example.com");
    }

    @Test
    void usersMayNeitherReadNorWatchTheGraph() {
        cluster("c1", "production");
        client.get().uri("/api/v1/admin/topology").header(USER_HEADER, "u@example.com")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        client.get().uri("/api/v1/admin/topology/events").accept(MediaType.TEXT_EVENT_STREAM)
                .header(USER_HEADER, "u@example.com")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("forbidden")
                        .doesNotContain("production"));
    }

    @Test
    void theStreamSendsTheGraphThenOnlyChangesAfterNotices() {
        TopologyController controller = new TopologyController(repository, changes, Duration.ofHours(1),
                Duration.ofHours(1));
        cluster("c1", "production");
        agent("a1", "c1", "prod-1", false);

        Flux<ServerSentEvent<TopologyResponse>> events = controller.events(admin());

        StepVerifier.create(events)
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("topology");
                    assertThat(e.data().clusters().get(0).agents().get(0).connected()).isFalse();
                })
                .then(changes::changed) // nothing changed: nothing is sent
                .expectNoEvent(Duration.ofMillis(600))
                .then(() -> {
                    db.jdbc().update("UPDATE agent_view SET connected = TRUE WHERE agent_id = 'a1'");
                    changes.changed();
                })
                .assertNext(e -> assertThat(e.data().clusters().get(0).agents().get(0).connected()).isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void withoutANoticeThePeriodicRecheckBringsChangesFromOtherReplicas() {
        TopologyController controller = new TopologyController(repository, changes, Duration.ofMillis(200),
                Duration.ofHours(1));
        cluster("c1", "production");

        StepVerifier.create(controller.events(admin()))
                .assertNext(e -> assertThat(e.data().workspaces()).isEmpty())
                .then(() -> workspace("w1", "mine", "bp1", "c1", "PROVISIONING"))
                .assertNext(e -> assertThat(e.data().workspaces()).extracting(WorkspaceNode::id).containsExactly("w1"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void idleStreamsCarryHeartbeats() {
        TopologyController controller = new TopologyController(repository, changes, Duration.ofHours(1),
                Duration.ofMillis(100));

        StepVerifier.create(controller.events(admin()))
                .assertNext(e -> assertThat(e.event()).isEqualTo("topology"))
                .assertNext(e -> assertThat(e.comment()).isEqualTo("heartbeat"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    private static TestingAuthenticationToken admin() {
        return new TestingAuthenticationToken("root@example.com", "n/a",
                AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
    }

    private void cluster(String id, String name) {
        db.jdbc().update("INSERT INTO cluster_view (id, name, registered_at) VALUES (?, ?, ?)", id, name,
                Timestamps.toColumn(T0));
    }

    private void agent(String id, String clusterId, String hostname, boolean connected) {
        db.jdbc().update("INSERT INTO agent_view (agent_id, cluster_id, credential_hash, hostname, connected, "
                + "protocol_version, runtime, last_change_at) VALUES (?, ?, 'secret-hash', ?, ?, '1.0', 'local', ?)",
                id, clusterId, hostname, connected, Timestamps.toColumn(T0));
    }

    private void blueprint(String id, String name, String clusterId) {
        db.jdbc().update("INSERT INTO blueprint_view (id, name, cluster_id, details_json, created_at, updated_at) "
                + "VALUES (?, ?, ?, '{}', ?, ?)", id, name, clusterId, Timestamps.toColumn(T0),
                Timestamps.toColumn(T0));
    }

    private void workspace(String id, String name, String blueprintId, String clusterId, String status) {
        db.jdbc().update("INSERT INTO workspace_view (id, name, blueprint_id, cluster_id, owner, status, spec_json, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, 'u@example.com', ?, '{}', ?, ?)", id, name,
                blueprintId, clusterId, status, Timestamps.toColumn(T0), Timestamps.toColumn(T0));
    }
}
