package dev.rdeportal.portal.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TerminalClient;
import dev.rdeportal.portal.support.TestDatabase;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Security Center's live view on a real portal: an admin watching
 * {@code /api/v1/security/sessions/events} sees a real terminal connection open and close, with
 * who, from where and on which workspace; a user is refused.
 */
class SessionEventsPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;

    /** One server-sent event: its name and its data as JSON. */
    record Sse(String event, JsonNode data) {
    }

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true);
        api = portal.api();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void anAdminSeesATerminalOpenAndCloseLive() throws Exception {
        Api.Response launched = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"watched\"}", alice);
        assertThat(launched.status()).as("%s", launched.body()).isEqualTo(202);
        String ws = launched.body().get("id").asText();
        api.awaitWorkspace(ws, alice, "RUNNING"::equals, Duration.ofSeconds(60));

        BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        CompletableFuture<HttpResponse<Stream<String>>> stream = HttpClient.newHttpClient().sendAsync(
                api.builder("/api/v1/security/sessions/events", admin).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> read(response.body(), events, subscribed), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(subscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the stream's first comment").isTrue();
            String connectionId;
            try (TerminalClient terminal = TerminalClient.connect(portal.baseUrl(), ws, portal.baseUrl(), null)) {
                Api.Response ticket = api.post("/api/v1/workspaces/" + ws + "/terminal-tickets", null, alice);
                terminal.auth(ticket.body().get("ticket").asText(), null);
                terminal.await("ready", TIMEOUT);

                Sse opened = next(events, e -> ws.equals(e.data().path("workspaceId").asText()));
                assertThat(opened.event()).isEqualTo("opened");
                assertThat(opened.data().get("type").asText()).isEqualTo("terminal");
                assertThat(opened.data().get("user").asText()).isEqualTo("alice@example.com");
                assertThat(opened.data().get("clientIp").asText()).isNotBlank();
                assertThat(opened.data().get("closedAt").isNull()).isTrue();
                connectionId = opened.data().get("id").asText();
            }
            Sse closed = next(events, e -> connectionId.equals(e.data().path("id").asText()));
            assertThat(closed.event()).isEqualTo("closed");
            assertThat(closed.data().get("closedAt").asText()).isNotBlank();
            assertThat(closed.data().get("closeReason").asText()).isNotBlank();
        } finally {
            response.body().close();
        }
    }

    @Test
    void aUserMayNotWatch() {
        Api.Response refused = api.send(api.builder("/api/v1/security/sessions/events", alice)
                .header("Accept", "text/event-stream").GET());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("forbidden");
    }

    private static void read(Stream<String> lines, BlockingQueue<Sse> events, CountDownLatch subscribed) {
        String[] event = {null};
        StringBuilder data = new StringBuilder();
        try {
            lines.forEach(line -> {
                if (line.equals(":subscribed")) {
                    subscribed.countDown();
                } else if (line.startsWith("event:")) {
                    event[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty()) {
                    if (data.length() > 0) {
                        try {
                            events.add(new Sse(event[0], JSON.readTree(data.toString())));
                        } catch (Exception e) {
                            throw new IllegalStateException("not JSON: " + data, e);
                        }
                    }
                    event[0] = null;
                    data.setLength(0);
                }
            });
        } catch (RuntimeException closedByTest) {
            // the test closed the stream
        }
    }

    private static Sse next(BlockingQueue<Sse> events, java.util.function.Predicate<Sse> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Sse e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no matching server-sent event within " + TIMEOUT + "; left: " + events);
    }
}
