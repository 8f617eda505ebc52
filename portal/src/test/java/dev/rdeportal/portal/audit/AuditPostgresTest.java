package dev.rdeportal.portal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import dev.rdeportal.query.audit.AuditChainCatchUp;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail of a real portal on PostgreSQL: the log of what happened through the API, the
 * export, the signed head, a projection rebuilt to the same content, and finally rows altered,
 * deleted and inserted in the event table behind the portal's back, each named by verification.
 * Ordered: the tampering comes last, as it changes the history the earlier steps read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static JdbcTemplate jdbc;
    static String workspace;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, false,
                "--rde.audit.signing-keyset-file=" + dataDir.resolve("audit").resolve("signing-keyset.json"),
                // Every backlog is linked in bulk, here at start too: the PostgreSQL path of AuditChainCatchUp.
                "--rde.audit.chain-catch-up-threshold=1");
        api = portal.api();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
        jdbc = portal.context().getBean(JdbcTemplate.class);
        Api.Response launched = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"audited\"}", alice);
        assertThat(launched.status()).as("launch %s", launched.body()).isEqualTo(202);
        workspace = launched.body().get("id").asText();
        api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"second\"}", alice);
        awaitChainCaughtUp();
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    @Order(1)
    void theLogSaysWhoLaunchedWhatFromWhere() {
        Api.Response r = api.get("/api/v1/audit?workspace=" + workspace, admin);

        assertThat(r.status()).isEqualTo(200);
        JsonNode first = r.body().get("items").get(0);
        assertThat(first.get("type").asText()).isEqualTo("WorkspaceLaunchedEvent");
        assertThat(first.get("actor").asText()).isEqualTo("alice@example.com");
        assertThat(first.get("ip").asText()).isNotBlank();
        assertThat(first.get("subject").asText()).isEqualTo(workspace);
        assertThat(first.get("summary").asText()).startsWith("alice@example.com: workspace launched " + workspace);
        assertThat(first.get("payload").get("name").asText()).isEqualTo("audited");
        assertThat(api.get("/api/v1/audit", alice).status()).as("admins only").isEqualTo(403);
    }

    @Test
    @Order(2)
    void theExportHoldsEveryEventOnce() throws Exception {
        long events = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        HttpResponse<String> jsonl = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(api.builder("/api/v1/audit/export?format=jsonl", admin)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> csv = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(api.builder("/api/v1/audit/export?format=csv", admin)
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(jsonl.statusCode()).isEqualTo(200);
        assertThat(jsonl.body().lines().count()).isEqualTo(events);
        assertThat(csv.body().split("\r\n")).hasSize((int) events + 1);
        assertThat(jsonl.body()).doesNotContain("encryptedApiKey").doesNotContain("credentialHash");
    }

    @Test
    @Order(3)
    void theSignedHeadVerifiesOutsideThePortal() throws Exception {
        Api.Response r = api.get("/api/v1/audit/head", admin);

        assertThat(r.status()).as("head %s", r.body()).isEqualTo(200);
        JsonNode head = r.body();
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(head.get("publicKey").asText()))));
        ed25519.update(("rde-audit-head/1\n" + head.get("sequence").asLong() + "\n" + head.get("link").asText() + "\n"
                + Instant.parse(head.get("signedAt").asText())).getBytes(StandardCharsets.UTF_8));
        assertThat(ed25519.verify(Base64.getDecoder().decode(head.get("signature").asText()))).isTrue();
        assertThat(api.get("/api/v1/audit/verify", admin).body().get("head").get("link").asText())
                .isEqualTo(head.get("link").asText());
    }

    @Test
    @Order(4)
    void aRebuiltProjectionEqualsTheLiveOne() {
        String live = contentHash("workspace_view");
        long position = projection("workspaces").get("position").asLong();

        Api.Response rebuild = api.post("/api/v1/admin/projections/workspaces/rebuild", null, admin);

        assertThat(rebuild.status()).as("rebuild %s", rebuild.body()).isEqualTo(202);
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode status = projection("workspaces");
        while (!(status.get("caughtUp").asBoolean() && status.get("position").asLong() >= position)
                && Instant.now().isBefore(deadline)) {
            Api.sleep(200);
            status = projection("workspaces");
        }
        assertThat(status.get("status").asText()).isIn("running", "replaying");
        assertThat(status.get("caughtUp").asBoolean()).as("caught up: %s", status).isTrue();
        assertThat(contentHash("workspace_view")).isEqualTo(live);

        Api.Response chain = api.post("/api/v1/admin/projections/audit-chain/rebuild", null, admin);
        assertThat(chain.status()).as("the chain refuses replays").isEqualTo(409);
        assertThat(projection("audit-chain").get("rebuildable").asBoolean()).isFalse();
        assertThat(api.post("/api/v1/admin/projections/workspaces/rebuild", null, alice).status()).isEqualTo(403);
    }

    /**
     * A chain started over an existing history (a portal upgraded onto an older event store, or a
     * chain whose token was lost) links that history from the first event, identically. Axon's
     * default first token would replay up to the head, which the chain refuses: it would skip
     * every earlier event.
     */
    @Test
    @Order(5)
    void aChainStartedOverAnExistingHistoryLinksItAll() {
        JsonNode head = api.get("/api/v1/audit/verify", admin).body().get("head");
        TrackingEventProcessor chain = forgetTheChain();

        chain.start();

        assertTheChainIsRebuiltAsBefore(head);
    }

    @Test
    @Order(5)
    void aChainFarBehindIsLinkedInBulkBeforeItsProcessorStarts() {
        JsonNode head = api.get("/api/v1/audit/verify", admin).body().get("head");
        long events = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        TrackingEventProcessor chain = forgetTheChain();

        long linked = portal.context().getBean(AuditChainCatchUp.class).run();

        assertThat(linked).as("linked in bulk").isGreaterThanOrEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT owner FROM token_entry WHERE processor_name = 'audit-chain'", String.class))
                .as("the claim is released").isNull();
        chain.start();
        assertTheChainIsRebuiltAsBefore(head);
    }

    /** Stops the chain's processor and deletes its links and token: a first start over this history. */
    private static TrackingEventProcessor forgetTheChain() {
        TrackingEventProcessor chain = portal.context().getBean(EventProcessingConfiguration.class)
                .eventProcessor("audit-chain", TrackingEventProcessor.class).orElseThrow();
        chain.shutDown();
        jdbc.update("DELETE FROM audit_chain");
        jdbc.update("DELETE FROM token_entry WHERE processor_name = 'audit-chain'");
        return chain;
    }

    /** Every event linked, the chain intact, and the link at the old head as it was. */
    private static void assertTheChainIsRebuiltAsBefore(JsonNode head) {
        awaitChainCaughtUp();
        JsonNode report = api.get("/api/v1/audit/verify", admin).body();
        assertThat(report.get("intact").asBoolean()).as("report %s", report).isTrue();
        assertThat(report.get("checked").asLong()).isEqualTo(
                jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class));
        assertThat(jdbc.queryForObject("SELECT link FROM audit_chain WHERE global_index = ?", String.class,
                head.get("sequence").asLong())).as("the same chain as the live one").isEqualTo(head.get("link").asText());
    }

    @Test
    @Order(6)
    void alteredDeletedAndInsertedRowsAreEachNamed() {
        assertThat(api.get("/api/v1/audit/verify", admin).body().get("intact").asBoolean()).isTrue();
        List<Long> indexes = jdbc.queryForList("SELECT global_index FROM domain_event_entry ORDER BY global_index", Long.class);
        long altered = indexes.get(1);
        long deleted = indexes.get(3);
        jdbc.update("UPDATE domain_event_entry SET meta_data = convert_to('{\"actor\":\"system\"}', 'UTF8') "
                + "WHERE global_index = ?", altered);
        jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", deleted);
        // Below every linked event (identity starts at 1): the processor, past it, never links it.
        jdbc.update("INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) VALUES (0, 'forged', "
                + "convert_to('{\"actor\":\"alice@example.com\"}', 'UTF8'), convert_to('{}', 'UTF8'), '1', "
                + "'dev.rdeportal.domain.workspace.WorkspaceDeletedEvent', '2020-01-01T00:00:00.000Z', 'w-old', 0, 'Workspace')");

        JsonNode report = api.get("/api/v1/audit/verify", admin).body();

        assertThat(report.get("intact").asBoolean()).isFalse();
        assertThat(report.get("firstDivergence").get("sequence").asLong()).isZero();
        assertThat(report.get("firstDivergence").get("kind").asText()).isEqualTo("inserted");
        Map<Long, String> kinds = new java.util.HashMap<>();
        report.get("findings").forEach(f -> kinds.put(f.get("sequence").asLong(), f.get("kind").asText()));
        assertThat(kinds).containsEntry(0L, "inserted").containsEntry(altered, "altered").containsEntry(deleted, "deleted")
                .hasSize(3);
        assertThat(api.get("/api/v1/audit?limit=1", admin).body().get("items").get(0).get("sequence").asLong())
                .as("the log hides no row, forged ones included").isZero();
    }

    private static JsonNode projection(String name) {
        for (JsonNode p : api.get("/api/v1/admin/projections", admin).body().get("items")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private static String contentHash(String table) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        jdbc.query("SELECT * FROM " + table + " ORDER BY id", rs -> {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String value = rs.getString(i);
                sha256.update((value == null ? "\u0000" : value + "\u0001").getBytes(StandardCharsets.UTF_8));
            }
            sha256.update((byte) '\n');
        });
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void awaitChainCaughtUp() {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode report = null;
        while (Instant.now().isBefore(deadline)) {
            Api.Response r = api.get("/api/v1/audit/verify", admin);
            report = r.body();
            if (r.status() == 200 && report.get("pending").asLong() == 0 && report.get("checked").asLong() > 0) {
                return;
            }
            Api.sleep(200);
        }
        throw new AssertionError("the audit chain did not catch up: " + report);
    }
}
