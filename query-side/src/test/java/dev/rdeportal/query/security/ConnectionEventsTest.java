package dev.rdeportal.query.security;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;
import static org.axonframework.eventhandling.ReplayStatus.REPLAY;

import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.time.Duration;
import java.time.Instant;
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
 * The Security Center's sessions: the log and the live stream, over the real read model, a real
 * Axon query bus and emitter, and the projection fed as the processor feeds it.
 */
class ConnectionEventsTest {

    private static final String ADMIN = "admin@example.com";
    private static final String ANN = "ann@example.com";
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final ConnectionProjection projection = new ConnectionProjection(db.jdbc(), emitter);
    private final WebTestClient client;

    ConnectionEventsTest() {
        ConnectionReadRepository repository = new ConnectionReadRepository(db.r2dbc());
        SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
        new AnnotationQueryHandlerAdapter<>(new ConnectionQueryHandler(repository)).subscribe(bus);
        QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();
        client = WebTestClient
                .bindToController(new ConnectionController(db.r2dbc(), gateway, Duration.ofMillis(200)))
                .controllerAdvice(new TestCallers.DomainErrors())
                .webFilter(TestCallers.principalFromHeaders())
                .configureClient()
                .responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    static TerminalSessionOpenedEvent terminalOpened(String connection, int minute) {
        return new TerminalSessionOpenedEvent("ws-1", connection, "ts-1", ANN, "10.0.0.5", "", false,
                T0.plusSeconds(60L * minute));
    }

    @Test
    void theStreamSendsTheOpenConnectionsThenEachOpenAndClose() throws Exception {
        projection.on(terminalOpened("c-1", 0), REGULAR);
        projection.on(terminalOpened("c-old", 0), REGULAR);
        projection.on(new TerminalSessionClosedEvent("ws-1", "c-old", "ts-1", ANN, "10.0.0.5", T0, T0.plusSeconds(5),
                null, "client closed", 1L, 2L), REGULAR);

        BlockingQueue<ServerSentEvent<Map<String, Object>>> received = subscribe(ADMIN, true);

        ServerSentEvent<Map<String, Object>> initial = nextData(received);
        assertThat(initial.event()).isEqualTo("opened");
        assertThat(initial.data()).containsEntry("id", "c-1").containsEntry("type", "terminal")
                .containsEntry("user", ANN).containsEntry("clientIp", "10.0.0.5").containsEntry("workspaceId", "ws-1");

        projection.on(new PreviewSessionOpenedEvent("pv-1", "ws-1", 3000, ANN, "10.0.0.6", T0.plusSeconds(120),
                T0.plusSeconds(3720)), REGULAR);
        ServerSentEvent<Map<String, Object>> opened = nextData(received);
        assertThat(opened.event()).isEqualTo("opened");
        assertThat(opened.data()).containsEntry("id", "pv-1").containsEntry("type", "preview")
                .containsEntry("detail", "port 3000").containsEntry("closedAt", null);

        projection.on(new PreviewSessionClosedEvent("pv-1", "ws-1", 3000, ANN, "10.0.0.6", T0.plusSeconds(120),
                T0.plusSeconds(180), 7, 100, 2000, "idle"), REGULAR);
        ServerSentEvent<Map<String, Object>> closed = nextData(received);
        assertThat(closed.event()).isEqualTo("closed");
        assertThat(closed.data()).containsEntry("id", "pv-1").containsEntry("closeReason", "idle")
                .containsEntry("closedAt", "2025-03-01T09:03:00Z");
        assertThat(((Number) closed.data().get("requests")).longValue()).isEqualTo(7);

        assertThat(received).as("the closed c-old was not sent as open").noneMatch(
                e -> e.data() != null && "c-old".equals(e.data().get("id")));
    }

    @Test
    void theStreamStartsAtOnceEvenWithNothingOpen() throws Exception {
        BlockingQueue<ServerSentEvent<Map<String, Object>>> received = subscribe(ADMIN, true);

        ServerSentEvent<Map<String, Object>> first = received.poll(5, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.comment()).isEqualTo("subscribed");
        assertThat(emitter.activeSubscriptions()).hasSize(1);
    }

    @Test
    void aReplayIsNotNews() throws Exception {
        BlockingQueue<ServerSentEvent<Map<String, Object>>> received = subscribe(ADMIN, true);
        awaitSubscriptions(1);

        projection.on(terminalOpened("c-replayed", 0), REPLAY);
        projection.on(terminalOpened("c-live", 1), REGULAR);

        assertThat(nextData(received).data()).containsEntry("id", "c-live");
    }

    @Test
    void onlyAdminsMayWatch() {
        client.get().uri("/api/v1/security/sessions/events").header(USER_HEADER, ANN)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"code\":\"forbidden\""));
        assertThat(emitter.activeSubscriptions()).isEmpty();
    }

    @Test
    void theLogListsOpenAndClosedConnections() {
        projection.on(terminalOpened("c-1", 0), REGULAR);
        projection.on(terminalOpened("c-2", 1), REGULAR);
        projection.on(new TerminalSessionClosedEvent("ws-1", "c-2", "ts-1", ANN, "10.0.0.5", T0, T0.plusSeconds(90),
                0, "exited", 3L, 4L), REGULAR);

        client.get().uri("/api/v1/security/sessions?state=active").header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo("c-1")
                .jsonPath("$.next").isEmpty();
        client.get().uri("/api/v1/security/sessions?state=closed").header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[0].id").isEqualTo("c-2")
                .jsonPath("$.items[0].bytesOut").isEqualTo(4);
    }

    private BlockingQueue<ServerSentEvent<Map<String, Object>>> subscribe(String user, boolean admin) {
        BlockingQueue<ServerSentEvent<Map<String, Object>>> received = new LinkedBlockingQueue<>();
        Disposable subscription = client.get().uri("/api/v1/security/sessions/events")
                .header(USER_HEADER, user).header(ADMIN_HEADER, Boolean.toString(admin))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody()
                .subscribe(received::add);
        subscriptions.add(subscription);
        return received;
    }

    private final java.util.List<Disposable> subscriptions = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void disposeSubscriptions() {
        subscriptions.forEach(Disposable::dispose);
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
        throw new AssertionError("no data event within 5 s; received " + received);
    }
}
