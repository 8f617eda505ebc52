package dev.rdeportal.portal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin topology on real PostgreSQL with the local agent over the TLS tunnel: the local cluster
 * with its connected agent, the sample blueprint and a launched workspace, in the document and on
 * the live stream.
 */
class TopologyPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLUSTER = "local";
    static final String BLUEPRINT = "bp-sample";

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
    void theGraphShowsTheLocalClusterItsAgentTheSampleBlueprintAndALaunchedWorkspaceLive() throws Exception {
        Stream stream = Stream.open(admin);
        try {
            JsonNode first = stream.next(graph -> true);
            assertThat(first.has("clusters") && first.has("blueprints") && first.has("workspaces")).isTrue();
            // The embedded agent may still be dialling in when the portal starts; the stream says when it is in.
            JsonNode connected = stream.next(graph -> agentConnected(graph));
            JsonNode local = cluster(connected);
            assertThat(local.get("agents")).hasSize(1);
            assertThat(local.get("agents").get(0).get("id").asText()).isNotBlank();
            assertThat(local.get("agents").get(0).get("lastSeen").asText()).isNotBlank();
            assertThat(local.get("agents").get(0).has("credentialHash")).isFalse();

            Api.Response launched = api.post("/api/v1/workspaces",
                    "{\"blueprintId\":\"" + BLUEPRINT + "\",\"name\":\"topo\"}", alice);
            assertThat(launched.status()).as("%s", launched.body()).isEqualTo(202);
            String id = launched.body().get("id").asText();

            // The launch reaches the stream, then its progress to RUNNING.
            stream.next(graph -> workspace(graph, id) != null);
            stream.next(graph -> workspace(graph, id) != null
                    && "RUNNING".equals(workspace(graph, id).get("status").asText()));

            Api.Response now = api.get("/api/v1/admin/topology", admin);
            assertThat(now.status()).isEqualTo(200);
            assertThat(cluster(now.body()).get("agents").get(0).get("connected").asBoolean()).isTrue();
            JsonNode blueprint = null;
            for (JsonNode b : now.body().get("blueprints")) {
                if (b.get("id").asText().equals(BLUEPRINT)) {
                    blueprint = b;
                }
            }
            assertThat(blueprint).as("sample blueprint in %s", now.body()).isNotNull();
            assertThat(blueprint.get("clusterId").asText()).isEqualTo(CLUSTER);
            JsonNode workspace = workspace(now.body(), id);
            assertThat(workspace.get("owner").asText()).isEqualTo("alice@example.com");
            assertThat(workspace.get("blueprintId").asText()).isEqualTo(BLUEPRINT);
            assertThat(workspace.get("clusterId").asText()).isEqualTo(CLUSTER);
            assertThat(workspace.get("name").asText()).isEqualTo("topo");

            // A deleted workspace leaves the graph, on the stream too.
            assertThat(api.delete("/api/v1/workspaces/" + id, alice).status()).isEqualTo(202);
            stream.next(graph -> workspace(graph, id) == null);
        } finally {
            stream.close();
        }
    }

    @Test
    void usersAreRefusedTheGraphAndItsStream() throws Exception {
        Api.Response refused = api.get("/api/v1/admin/topology", alice);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("forbidden");
        HttpResponse<String> events = http.send(HttpRequest.newBuilder(
                        URI.create(portal.baseUrl() + "/api/v1/admin/topology/events"))
                .header("Authorization", "Bearer " + alice)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(403);
        assertThat(events.body()).doesNotContain("clusters");
    }

    private static boolean agentConnected(JsonNode graph) {
        JsonNode local = cluster(graph);
        return local != null && local.get("agents").size() > 0 && local.get("agents").get(0).get("connected").asBoolean();
    }

    private static JsonNode cluster(JsonNode graph) {
        for (JsonNode c : graph.get("clusters")) {
            if (c.get("id").asText().equals(CLUSTER)) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode workspace(JsonNode graph, String id) {
        for (JsonNode w : graph.get("workspaces")) {
            if (w.get("id").asText().equals(id)) {
                return w;
            }
        }
        return null;
    }

    /** The admin's event stream, read line by line on its own thread. */
    private static final class Stream implements AutoCloseable {

        private final BlockingQueue<JsonNode> graphs = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile HttpResponse<java.io.InputStream> response;

        private Stream(String token) throws Exception {
            response = http.send(HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/admin/topology/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            reader = new Thread(this::read, "topology-sse");
            reader.setDaemon(true);
            reader.start();
        }

        static Stream open(String token) throws Exception {
            return new Stream(token);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if ("topology".equals(event) && data.length() > 0) {
                            graphs.add(JSON.readTree(data.toString()));
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    }
                }
            } catch (Exception e) {
                // closed by the test
            }
        }

        /** The next graph the stream sends that matches; earlier ones are passed over. */
        JsonNode next(Predicate<JsonNode> matching) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (;;) {
                long left = deadline - System.nanoTime();
                JsonNode graph = left <= 0 ? null : graphs.poll(left, TimeUnit.NANOSECONDS);
                assertThat(graph).as("a matching topology event within %s", TIMEOUT).isNotNull();
                if (matching.test(graph)) {
                    return graph;
                }
            }
        }

        @Override
        public void close() throws Exception {
            response.body().close();
            reader.interrupt();
        }
    }
}
