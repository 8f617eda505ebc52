package dev.rdeportal.query.workspace;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static dev.rdeportal.query.workspace.Workspaces.at;
import static dev.rdeportal.query.workspace.Workspaces.launched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;

import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * The REST and SSE endpoints over a real read model and a real Axon query bus and emitter; only
 * the portal's security chain is replaced by a filter that takes the caller from test headers.
 */
class WorkspaceQueryControllerTest {

    private static final String ANN = "ann@example.com";
    private static final String BOB = "bob@example.com";

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final WorkspaceProjection projection = new WorkspaceProjection(db.jdbc(), emitter, new TopologyChanges());
    private final WorkspaceReadRepository repository = new WorkspaceReadRepository(db.r2dbc());
    private final WebTestClient client;

    WorkspaceQueryControllerTest() {
        SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
        new AnnotationQueryHandlerAdapter<>(new WorkspaceQueryHandler(repository)).subscribe(bus);
        QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();
        client = WebTestClient
                .bindToController(new WorkspaceQueryController(repository, gateway, Duration.ofMillis(200)))
                .controllerAdvice(new TestCallers.DomainErrors())
                .webFilter(TestCallers.principalFromHeaders())
                .configureClient()
                .responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aWorkspaceHasTheDocumentedFields() {
        projection.on(launched("w1", ANN), at(0), REGULAR);
        projection.on(new WorkspaceFailedEvent("w1", "op-w1-1", "image pull failed"), at(1), REGULAR);

        client.get().uri("/api/v1/workspaces/w1").header(USER_HEADER, ANN).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("w1")
                .jsonPath("$.name").isEqualTo("ws-w1")
                .jsonPath("$.blueprintId").isEqualTo("bp-java")
                .jsonPath("$.clusterId").isEqualTo("c1")
                .jsonPath("$.owner").isEqualTo(ANN)
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.statusReason").isEqualTo("image pull failed")
                .jsonPath("$.ports").isEqualTo(List.of(8080, 3000))
                .jsonPath("$.createdAt").isEqualTo("2025-03-01T09:00:00Z")
                .jsonPath("$.updatedAt").isEqualTo("2025-03-01T09:01:00Z")
                // what the control plane keeps to itself
                .jsonPath("$.spec").doesNotExist()
                .jsonPath("$.pendingOperationId").doesNotExist();
    }

    @Test
    void anotherUsersWorkspaceIsNotFoundJustLikeAnUnknownOne() {
        projection.on(launched("w1", ANN), at(0), REGULAR);

        client.get().uri("/api/v1/workspaces/w1").header(USER_HEADER, BOB).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not-found")
                .jsonPath("$.detail").isEqualTo("workspace w1 not found");
        client.get().uri("/api/v1/workspaces/w9").header(USER_HEADER, BOB).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("workspace w9 not found");
    }

    @Test
    void anAdminMayReadAnyWorkspace() {
        projection.on(launched("w1", ANN), at(0), REGULAR);

        client.get().uri("/api/v1/workspaces/w1").header(USER_HEADER, BOB).header(ADMIN_HEADER, "true").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.owner").isEqualTo(ANN);
    }

    @Test
    void theListIsTheCallersOwnNewestFirstWithoutDeleted() {
        projection.on(launched("a1", ANN), at(0), REGULAR);
        projection.on(launched("b1", BOB), at(1), REGULAR);
        projection.on(launched("a2", ANN), at(2), REGULAR);
        projection.on(launched("a3", ANN), at(3), REGULAR);
        projection.on(new WorkspaceDeleteRequestedEvent("a3", ANN, "op-d", null), at(4), REGULAR);
        projection.on(new WorkspaceDeletedEvent("a3", "op-d"), at(5), REGULAR);

        client.get().uri("/api/v1/workspaces").header(USER_HEADER, ANN).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].id").isEqualTo(List.of("a2", "a1"))
                // clients test for the end of the list by a present, null "next"
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).contains("\"next\":null"));
    }

    @Test
    void listingEveryonesWorkspacesIsForAdminsOnly() {
        projection.on(launched("a1", ANN), at(0), REGULAR);
        projection.on(launched("b1", BOB), at(1), REGULAR);

        client.get().uri("/api/v1/workspaces?all=true").header(USER_HEADER, ANN).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        client.get().uri("/api/v1/workspaces?all=true").header(USER_HEADER, "root@example.com")
                .header(ADMIN_HEADER, "true").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].id").isEqualTo(List.of("b1", "a1"));
    }

    @Test
    void theCursorLeadsToTheNextPageAndIsNullAfterTheLast() {
        for (int i = 1; i <= 3; i++) {
            projection.on(launched("a" + i, ANN), at(i), REGULAR);
        }

        ListPage first = client.get().uri("/api/v1/workspaces?limit=2").header(USER_HEADER, ANN).exchange()
                .expectStatus().isOk().expectBody(ListPage.class).returnResult().getResponseBody();
        assertThat(first.items()).extracting(Item::id).containsExactly("a3", "a2");
        assertThat(first.next()).isNotBlank();

        ListPage second = client.get().uri(b -> b.path("/api/v1/workspaces").queryParam("limit", 2)
                        .queryParam("cursor", first.next()).build())
                .header(USER_HEADER, ANN).exchange()
                .expectStatus().isOk().expectBody(ListPage.class).returnResult().getResponseBody();
        assertThat(second.items()).extracting(Item::id).containsExactly("a1");
        assertThat(second.next()).isNull();
    }

    @Test
    void aCursorThisApiDidNotIssueIsAValidationFailure() {
        client.get().uri("/api/v1/workspaces?cursor=not-a-cursor").header(USER_HEADER, ANN).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation-failed");
    }

    @Test
    void aLimitOutsideOneTo200IsAValidationFailure() {
        for (String limit : List.of("0", "201", "ten")) {
            client.get().uri("/api/v1/workspaces?limit=" + limit).header(USER_HEADER, ANN).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("validation-failed");
        }
        client.get().uri("/api/v1/workspaces?limit=200").header(USER_HEADER, ANN).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theEventStreamSendsTheCurrentWorkspacesThenTheCallersChangesAndHeartbeats() throws Exception {
        projection.on(launched("a1", ANN), at(0), REGULAR);
        projection.on(launched("b1", BOB), at(1), REGULAR);

        BlockingQueue<ServerSentEvent<Map<String, Object>>> received = new LinkedBlockingQueue<>();
        Disposable subscription = client.get().uri("/api/v1/workspaces/events").header(USER_HEADER, ANN)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody()
                .subscribe(received::add);
        try {
            ServerSentEvent<Map<String, Object>> initial = nextData(received);
            assertThat(initial.event()).isEqualTo("workspace");
            assertThat(initial.data()).containsEntry("id", "a1").containsEntry("status", "PROVISIONING");

            projection.on(launched("b2", BOB), at(2), REGULAR);
            projection.on(new WorkspaceRunningEvent("a1", "op-a1-1", Map.of(8080, 31080)), at(3), REGULAR);

            ServerSentEvent<Map<String, Object>> update = nextData(received);
            assertThat(update.event()).isEqualTo("workspace");
            assertThat(update.data()).containsEntry("id", "a1").containsEntry("status", "RUNNING")
                    .containsEntry("owner", ANN);
            assertThat(received).noneMatch(e -> e.data() != null && BOB.equals(e.data().get("owner")));

            ServerSentEvent<Map<String, Object>> heartbeat = received.poll(5, TimeUnit.SECONDS);
            while (heartbeat != null && heartbeat.data() != null) {
                heartbeat = received.poll(5, TimeUnit.SECONDS);
            }
            assertThat(heartbeat).isNotNull();
            assertThat(heartbeat.comment()).isEqualTo("heartbeat");
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void theSubscriptionEndsWhenTheClientGoesAway() throws Exception {
        Disposable subscription = client.get().uri("/api/v1/workspaces/events").header(USER_HEADER, ANN)
                .exchange()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody()
                .subscribe();
        awaitSubscriptions(1);

        subscription.dispose();

        awaitSubscriptions(0);
    }

    private void awaitSubscriptions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (emitter.activeSubscriptions().size() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(emitter.activeSubscriptions()).hasSize(expected);
    }

    /** The next event that carries data, skipping heartbeats. */
    private static ServerSentEvent<Map<String, Object>> nextData(
            BlockingQueue<ServerSentEvent<Map<String, Object>>> received) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ServerSentEvent<Map<String, Object>> event = received.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && event.data() != null) {
                return event;
            }
        }
        throw new AssertionError("no workspace event within 5 s");
    }

    record Item(String id) {
    }

    record ListPage(List<Item> items, String next) {
    }
}
