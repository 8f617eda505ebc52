package dev.rdeportal.query.audit;

import static dev.rdeportal.query.audit.EventStoreRows.T0;
import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The audit endpoints over a real event table on H2; the caller comes from test headers. */
class AuditControllerTest {

    private static final String ADMIN = "admin@example.com";

    @TempDir
    Path dir;
    private final JdbcTemplate jdbc = ReadModelDatabase.create().jdbc();
    private final AuditChainProjection chain = new AuditChainProjection(jdbc);
    private WebTestClient client;

    @BeforeEach
    void setUp() throws Exception {
        EventStoreRows.createTable(jdbc);
        Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(new byte[32]));
        MockEnvironment env = new MockEnvironment().withProperty("rde.secrets.keyset-file",
                dir.resolve("keyset.json").toString());
        AuditSigner signer = new AuditSigner(new AuditProperties(dir.resolve("audit").resolve("signing.json"), null), env);
        client = WebTestClient
                .bindToController(new AuditController(new AuditLog(jdbc), new ChainVerifier(jdbc), signer))
                .controllerAdvice(new TestCallers.DomainErrors())
                .webFilter(TestCallers.principalFromHeaders())
                .configureClient()
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void anEntryCarriesWhoWhatWhenWhereAndNoSecret() {
        EventStoreRows.insert(jdbc, null, "bp-1", 0, "Blueprint", "dev.rdeportal.domain.blueprint.BlueprintCreatedEvent",
                "{\"blueprintId\":\"bp-1\",\"details\":{\"name\":\"java\",\"llm\":{\"kind\":\"OPENAI\","
                        + "\"encryptedApiKey\":\"AXk2c2VjcmV0\"}},\"createdBy\":\"admin@example.com\"}",
                ADMIN, T0);

        client.get().uri("/api/v1/audit").header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].sequence").isEqualTo(1)
                .jsonPath("$.items[0].time").isEqualTo("2025-03-01T09:00:00Z")
                .jsonPath("$.items[0].actor").isEqualTo(ADMIN)
                .jsonPath("$.items[0].ip").isEqualTo("10.0.0.7")
                .jsonPath("$.items[0].type").isEqualTo("BlueprintCreatedEvent")
                .jsonPath("$.items[0].subject").isEqualTo("bp-1")
                .jsonPath("$.items[0].summary").isEqualTo("admin@example.com: blueprint created bp-1")
                .jsonPath("$.items[0].payload.details.llm.kind").isEqualTo("OPENAI")
                .jsonPath("$.items[0].payload.details.llm.encryptedApiKey").doesNotExist();
        String raw = new String(client.get().uri("/api/v1/audit").header(USER_HEADER, ADMIN)
                .header(ADMIN_HEADER, "true").exchange().expectBody().returnResult().getResponseBody(),
                StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("encryptedApiKey").doesNotContain("AXk2c2VjcmV0").contains("\"next\":null");
    }

    @Test
    void theLogIsForAdminsOnly() {
        for (String path : List.of("/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit/verify", "/api/v1/audit/head")) {
            client.get().uri(path).header(USER_HEADER, "ann@example.com").exchange()
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        }
    }

    @Test
    void filtersAndCursorPagingByGlobalSequence() {
        for (int i = 0; i < 5; i++) {
            EventStoreRows.append(jdbc, "w" + (i % 2), i / 2, i % 2 == 0 ? "WorkspaceLaunchedEvent" : "WorkspaceStopRequestedEvent",
                    EventStoreRows.launched("w" + (i % 2), "dev"), i < 3 ? "ann@example.com" : "bob@example.com",
                    T0.plusSeconds(60L * i));
        }
        // a connection event: no aggregate, the workspace is in the payload
        EventStoreRows.insert(jdbc, null, "conn-1", 0, null, "dev.rdeportal.domain.connection.TerminalSessionOpenedEvent",
                "{\"workspaceId\":\"w0\",\"user\":\"bob@example.com\"}", "bob@example.com", T0.plusSeconds(600));

        assertThat(sequences("/api/v1/audit?limit=2")).containsExactly(1, 2);
        client.get().uri("/api/v1/audit?limit=2").header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true").exchange()
                .expectBody().jsonPath("$.next").isEqualTo("2");
        assertThat(sequences("/api/v1/audit?limit=2&cursor=2")).containsExactly(3, 4);
        assertThat(sequences("/api/v1/audit?limit=10&cursor=4")).containsExactly(5, 6);
        assertThat(sequences("/api/v1/audit?actor=BOB@example.com")).containsExactly(4, 5, 6);
        assertThat(sequences("/api/v1/audit?type=WorkspaceLaunchedEvent")).containsExactly(1, 3, 5);
        assertThat(sequences("/api/v1/audit?type=dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent"))
                .containsExactly(2, 4);
        assertThat(sequences("/api/v1/audit?workspace=w0")).containsExactly(1, 3, 5, 6);
        assertThat(sequences("/api/v1/audit?from=2025-03-01T09:01:00Z&to=2025-03-01T09:03:00Z")).containsExactly(2, 3);
        client.get().uri("/api/v1/audit?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z")
                .header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation-failed");
    }

    @Test
    void exportsCsvAndJsonLines() {
        EventStoreRows.append(jdbc, "w1", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("w1", "=HYPERLINK(\"x\")"),
                ADMIN, T0);
        EventStoreRows.append(jdbc, "w1", 1, "WorkspaceStopRequestedEvent", "{\"workspaceId\":\"w1\",\"reason\":\"idle\"}",
                ADMIN, T0.plusSeconds(1));

        String csv = new String(client.get().uri("/api/v1/audit/export?format=csv").header(USER_HEADER, ADMIN)
                .header(ADMIN_HEADER, "true").exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo(AuditExportFormat.CSV_HEADER);
        assertThat(lines[2]).startsWith("2,2025-03-01T09:00:01Z,admin@example.com,10.0.0.7,WorkspaceStopRequestedEvent,w1,"
                + "admin@example.com: workspace stop requested w1 (reason: idle),");

        String jsonl = new String(client.get().uri("/api/v1/audit/export?format=jsonl&type=WorkspaceStopRequestedEvent")
                .header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(jsonl.split("\n")).singleElement().asString()
                .startsWith("{\"sequence\":2,\"time\":\"2025-03-01T09:00:01Z\",\"actor\":\"admin@example.com\"")
                .contains("\"payload\":{\"workspaceId\":\"w1\",\"reason\":\"idle\"}");
    }

    @Test
    void aCsvCellASpreadsheetWouldRunIsDefused() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        AuditExportFormat.cell(out, "=1+1");
        out.write('|');
        AuditExportFormat.cell(out, "a,\"b\"");
        assertThat(out.toString()).isEqualTo("'=1+1|\"a,\"\"b\"\"\"");
    }

    @Test
    void theSignedHeadVerifiesWithThePublishedKey() throws Exception {
        long index = EventStoreRows.append(jdbc, "w1", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("w1", "d"),
                ADMIN, T0);
        chain.on(EventStoreRows.read(jdbc, index).eventIdentifier());

        Map<?, ?> head = client.get().uri("/api/v1/audit/head").header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(head.get("sequence")).isEqualTo((int) index);
        assertThat(head.get("link")).isEqualTo(new ChainVerifier(jdbc).verify().head().link());
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode((String) head.get("publicKey"))));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key);
        ed25519.update(AuditSigner.message(index, (String) head.get("link"), Instant.parse((String) head.get("signedAt")))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(ed25519.verify(Base64.getDecoder().decode((String) head.get("signature")))).isTrue();
        assertThat(Files.readString(dir.resolve("audit").resolve("signing.json")))
                .as("the keyset is stored encrypted").contains("encryptedKeyset");
    }

    private List<Integer> sequences(String uri) {
        return client.get().uri(uri).header(USER_HEADER, ADMIN).header(ADMIN_HEADER, "true").exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody() instanceof Map<?, ?> body
                ? ((List<?>) body.get("items")).stream().map(i -> ((Number) ((Map<?, ?>) i).get("sequence")).intValue()).toList()
                : List.of();
    }
}
