package dev.rdeportal.portal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The portal on real PostgreSQL with its local agent process over the TLS tunnel: a workspace's
 * whole lifecycle through the public API, as a user drives it.
 */
class WorkspaceLifecyclePostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true);
        api = portal.api();
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static String launch(String name) {
        Api.Response r = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"" + name + "\"}", alice);
        assertThat(r.status()).as("launch answer %s", r.body()).isEqualTo(202);
        assertThat(r.body().get("status").asText()).isEqualTo("PROVISIONING");
        return r.body().get("id").asText();
    }

    @Test
    void launchRunStopStartDelete() throws Exception {
        String id = launch("lifecycle");
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);

        Api.Response stop = api.post("/api/v1/workspaces/" + id + "/stop", null, alice);
        assertThat(stop.status()).isEqualTo(202);
        assertThat(stop.body().get("status").asText()).isEqualTo("STOPPING");
        api.awaitWorkspace(id, alice, "STOPPED"::equals, TIMEOUT);

        Api.Response again = api.post("/api/v1/workspaces/" + id + "/stop", null, alice);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("state-conflict");
        assertThat(again.contentType()).startsWith("application/problem+json");

        assertThat(api.post("/api/v1/workspaces/" + id + "/start", null, alice).status()).isEqualTo(202);
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);

        assertThat(api.delete("/api/v1/workspaces/" + id, alice).status()).isEqualTo(202);
        awaitGone(id);

        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        List<String> types = jdbc.queryForList(
                "SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                String.class, id);
        assertThat(types).extracting(t -> t.substring(t.lastIndexOf('.') + 1)).containsExactly(
                "WorkspaceLaunchedEvent", "WorkspaceRunningEvent", "WorkspaceStopRequestedEvent",
                "WorkspaceStoppedEvent", "WorkspaceStartRequestedEvent", "WorkspaceRunningEvent",
                "WorkspaceDeleteRequestedEvent", "WorkspaceDeletedEvent");
        JsonNode launchedMeta = JSON.readTree(jdbc.queryForObject(
                "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0",
                byte[].class, id));
        assertThat(launchedMeta.get("actor").asText()).isEqualTo("alice@example.com");
        assertThat(launchedMeta.get("clientIp").asText()).isNotBlank();
        assertThat(launchedMeta.get("correlationId").asText()).isNotBlank();
        assertThat(launchedMeta.get("causationId").asText()).isNotBlank();
        JsonNode runningMeta = JSON.readTree(jdbc.queryForObject(
                "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1",
                byte[].class, id));
        assertThat(runningMeta.get("actor").asText()).startsWith("agent:");
    }

    @Test
    void anotherUsersWorkspaceIsNotFound() {
        String id = launch("private");
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);
        for (Api.Response r : List.of(
                api.get("/api/v1/workspaces/" + id, bob),
                api.post("/api/v1/workspaces/" + id + "/stop", null, bob),
                api.post("/api/v1/workspaces/" + id + "/start", null, bob),
                api.delete("/api/v1/workspaces/" + id, bob))) {
            assertThat(r.status()).as("%s", r.raw().request()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("not-found");
        }
        // Unknown and not-yours answer alike, to the letter, on the query and the command side.
        Api.Response unknown = api.get("/api/v1/workspaces/ws-doesnotexist", bob);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("detail").asText()).isEqualTo("workspace ws-doesnotexist not found");
        assertThat(api.get("/api/v1/workspaces/" + id, bob).body().get("detail").asText())
                .isEqualTo("workspace " + id + " not found");
        assertThat(api.post("/api/v1/workspaces/ws-doesnotexist/stop", null, bob).body().get("detail").asText())
                .isEqualTo("workspace ws-doesnotexist not found");
        assertThat(api.post("/api/v1/workspaces/" + id + "/stop", null, bob).body().get("detail").asText())
                .isEqualTo("workspace " + id + " not found");
        assertThat(api.get("/api/v1/workspaces", bob).body().get("items").findValuesAsText("id")).doesNotContain(id);
    }

    @Test
    void twoConcurrentConflictingCommandsExactlyOneWins() throws Exception {
        String id = launch("race");
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Api.Response>> stops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            stops.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return api.post("/api/v1/workspaces/" + id + "/stop", null, alice);
            }));
        }
        go.countDown();
        List<Integer> statuses = stops.stream().map(CompletableFuture::join).map(Api.Response::status).sorted().toList();
        assertThat(statuses).containsExactly(202, 409);
        api.awaitWorkspace(id, alice, "STOPPED"::equals, TIMEOUT);
    }

    record Hostile(String what, java.util.function.Supplier<Api.Response> request, int status, String code) {
    }

    @Test
    void malformedAndHostileRequestsGetTheirDocumentedErrorAndChangeNothing() {
        String admin = portal.login("admin@example.com", "admin");
        String victim = launch("victim");
        api.awaitWorkspace(victim, alice, "RUNNING"::equals, TIMEOUT);
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        long eventsBefore = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        String bp = "{\"name\":\"evil\",\"image\":\"debian:12\",\"resources\":{\"cpu\":\"%s\",\"memory\":\"%s\","
                + "\"storage\":\"5Gi\"},\"ports\":%s,\"env\":%s}";
        String forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbkBleGFtcGxlLmNvbSIsImVtYWlsIjoiYWRtaW5AZXhhbXBsZS5jb20ifQ.";
        List<Hostile> hostile = List.of(
                new Hostile("truncated JSON", () -> api.post("/api/v1/workspaces", "{\"blueprintId\":", alice), 400, "malformed-request"),
                new Hostile("JSON array", () -> api.post("/api/v1/workspaces", "[1,2]", alice), 400, "malformed-request"),
                new Hostile("not JSON", () -> api.send(api.builder("/api/v1/workspaces", alice)
                        .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("hi"))),
                        415, "unsupported-media-type"),
                new Hostile("unknown blueprint", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-nope\",\"name\":\"x\"}", alice), 400, "validation-failed"),
                new Hostile("empty name", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\",\"name\":\"\"}", alice), 400, "validation-failed"),
                new Hostile("missing name", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\"}", alice), 400, "validation-failed"),
                new Hostile("name too long", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\",\"name\":\"" + "a".repeat(41) + "\"}", alice), 400, "validation-failed"),
                new Hostile("bad characters", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\",\"name\":\"Bad Name!\"}", alice), 400, "validation-failed"),
                new Hostile("SQL in name", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\",\"name\":\"x'; DROP TABLE domain_event_entry;--\"}", alice),
                        400, "validation-failed"),
                new Hostile("path traversal id", () -> api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"../../etc/passwd\",\"name\":\"x\"}", alice), 400, "validation-failed"),
                new Hostile("no token", () -> api.get("/api/v1/workspaces", null), 401, "unauthenticated"),
                new Hostile("garbage token", () -> api.get("/api/v1/workspaces", "not-a-jwt"), 401, "unauthenticated"),
                new Hostile("unsigned alg=none token", () -> api.get("/api/v1/workspaces", forged), 401, "unauthenticated"),
                new Hostile("tampered token", () -> api.get("/api/v1/workspaces",
                        alice.substring(0, alice.lastIndexOf('.') + 1) + "AAAA"), 401, "unauthenticated"),
                new Hostile("user writes a blueprint", () -> api.post("/api/v1/blueprints",
                        bp.formatted("1", "1Gi", "[]", "{}"), alice), 403, "forbidden"),
                new Hostile("absurd cpu", () -> api.post("/api/v1/blueprints",
                        bp.formatted("100000", "1Gi", "[]", "{}"), admin), 400, "validation-failed"),
                new Hostile("absurd memory", () -> api.post("/api/v1/blueprints",
                        bp.formatted("1", "1024Ti", "[]", "{}"), admin), 400, "validation-failed"),
                new Hostile("port 0", () -> api.post("/api/v1/blueprints",
                        bp.formatted("1", "1Gi", "[0]", "{}"), admin), 400, "validation-failed"),
                new Hostile("bad env name", () -> api.post("/api/v1/blueprints",
                        bp.formatted("1", "1Gi", "[]", "{\"1BAD\":\"x\"}"), admin), 400, "validation-failed"),
                new Hostile("unknown workspace", () -> api.post("/api/v1/workspaces/ws-nope/stop", null, alice), 404, "not-found"),
                new Hostile("another user's workspace", () -> api.delete("/api/v1/workspaces/" + victim, bob), 404, "not-found"),
                new Hostile("start a running workspace", () -> api.post("/api/v1/workspaces/" + victim + "/start", null, alice),
                        409, "state-conflict"));
        for (Hostile h : hostile) {
            Api.Response r = h.request().get();
            assertThat(r.status()).as("%s: %s", h.what(), r.body()).isEqualTo(h.status());
            assertThat(r.contentType()).as(h.what()).startsWith("application/problem+json");
            assertThat(r.code()).as(h.what()).isEqualTo(h.code());
            assertThat(r.raw().body()).as(h.what()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class))
                .as("no event recorded by refused requests").isEqualTo(eventsBefore);
        assertThat(api.get("/api/v1/workspaces/" + victim, alice).body().get("status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void spoofedForwardedForIsNotBelieved() throws Exception {
        Api.Response r = api.send(api.builder("/api/v1/workspaces", alice)
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.66")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"blueprintId\":\"bp-sample\",\"name\":\"spoof\"}")));
        assertThat(r.status()).isEqualTo(202);
        String id = r.body().get("id").asText();
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        JsonNode meta = JSON.readTree(jdbc.queryForObject(
                "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0",
                byte[].class, id));
        assertThat(meta.get("clientIp").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);
    }

    @Test
    void operationalMetricsAreExposedForPrometheus() {
        String id = launch("metrics");
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);
        Api.Response health = api.get("/actuator/health/readiness", null);
        assertThat(health.status()).isEqualTo(200);
        String metrics = api.send(api.builder("/actuator/prometheus", null).GET()).raw().body();
        assertThat(metrics)
                .containsPattern("rde_agents_connected\\{[^}]*} 1.0")
                .containsPattern("rde_workspaces\\{[^}]*status=\"RUNNING\"")
                .contains("rde_command_latency_seconds_count{")
                .contains("rde_tunnel_operations_sent_total{")
                .contains("rde_tunnel_channels_open");
    }

    @Test
    void llmKeysAreEncryptedAtRestAndReachOnlyTheWorkspace() throws Exception {
        String admin = portal.login("admin@example.com", "admin");
        String secret = "sk-ant-test-" + java.util.UUID.randomUUID();
        Api.Response created = api.post("/api/v1/blueprints", """
                {"name":"ai","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "startCommand":"env > llm-env.txt; exec sleep 600",
                 "tools":[{"name":"claude","command":"claude"}],
                 "llm":{"provider":"anthropic","apiKey":"%s"}}""".formatted(secret), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String blueprint = created.body().get("id").asText();
        JsonNode shown = awaitBlueprint(blueprint, admin);
        assertThat(shown.get("llm").get("keySet").asBoolean()).isTrue();
        assertThat(shown.get("tools").get(0).get("name").asText()).isEqualTo("claude");
        assertThat(shown.toString()).doesNotContain(secret);

        // An update without a key keeps it; the key is never read back.
        Api.Response updated = api.put("/api/v1/blueprints/" + blueprint, """
                {"name":"ai","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "startCommand":"env > llm-env.txt; exec sleep 600",
                 "tools":[{"name":"claude","command":"claude"}],"llm":{"provider":"anthropic"}}""", admin);
        assertThat(updated.status()).isEqualTo(200);

        Api.Response launched = api.post("/api/v1/workspaces",
                "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"ai-ws\"}", alice);
        assertThat(launched.status()).isEqualTo(202);
        String id = launched.body().get("id").asText();
        api.awaitWorkspace(id, alice, "RUNNING"::equals, TIMEOUT);
        java.nio.file.Path envFile = portal.dataDir.resolve("agent/workspaces/" + id + "/home/llm-env.txt");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!java.nio.file.Files.exists(envFile) && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertThat(java.nio.file.Files.readString(envFile)).contains("ANTHROPIC_API_KEY=" + secret);

        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        for (String sql : List.of(
                "SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?",
                "SELECT count(*) FROM domain_event_entry WHERE convert_from(meta_data, 'UTF8') LIKE ?",
                "SELECT count(*) FROM blueprint_view WHERE details_json LIKE ?",
                "SELECT count(*) FROM workspace_view WHERE spec_json LIKE ?")) {
            assertThat(jdbc.queryForObject(sql, Long.class, "%" + secret + "%")).as(sql).isZero();
        }
        api.delete("/api/v1/workspaces/" + id, alice);
        awaitGone(id);
    }

    private static JsonNode awaitBlueprint(String id, String token) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Api.Response r = api.get("/api/v1/blueprints/" + id, token);
            if (r.status() == 200) {
                return r.body();
            }
            Api.sleep(100);
        }
        throw new AssertionError("blueprint " + id + " not visible");
    }

    private static void awaitGone(String id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Api.Response r = api.get("/api/v1/workspaces/" + id, alice);
            if (r.status() == 404 || r.status() == 200 && "DELETED".equals(r.body().get("status").asText())) {
                return;
            }
            Api.sleep(100);
        }
        throw new AssertionError("workspace " + id + " was not deleted in " + TIMEOUT);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
