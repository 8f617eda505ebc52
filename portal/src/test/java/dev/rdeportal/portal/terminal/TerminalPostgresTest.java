package dev.rdeportal.portal.terminal;

import dev.rdeportal.portal.support.TerminalClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import dev.rdeportal.proto.JoinToken;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Terminals end to end: the portal on PostgreSQL, its real agent process over the TLS tunnel, and
 * real shells on PTYs, driven through the public API and the WebSocket as the UI drives them.
 */
class TerminalPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String LLM_KEY = "sk-ant-terminal-" + java.util.UUID.randomUUID();
    static final Duration RUNNING = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String alice;
    static String bob;
    static String aliceWorkspace;
    static String bobWorkspace;
    static String origin;

    @BeforeAll
    static void start() {
        // A short auth timeout, so that a client that never sends its ticket is refused within the test's patience.
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true, "--rde.gateway.terminal.auth-timeout=4s");
        api = portal.api();
        origin = portal.baseUrl();
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
        aliceWorkspace = launch(alice, "terminals");
        bobWorkspace = launch(bob, "bobs");
        api.awaitWorkspace(aliceWorkspace, alice, "RUNNING"::equals, RUNNING);
        api.awaitWorkspace(bobWorkspace, bob, "RUNNING"::equals, RUNNING);
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static String launch(String token, String name) {
        Api.Response r = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as("launch answer %s", r.body()).isEqualTo(202);
        return r.body().get("id").asText();
    }

    static String ticket(String workspaceId, String token) {
        Api.Response r = api.post("/api/v1/workspaces/" + workspaceId + "/terminal-tickets", null, token);
        assertThat(r.status()).as("ticket answer %s", r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(r.body().get("expiresAt").asText()).isNotBlank();
        return r.body().get("ticket").asText();
    }

    static TerminalClient open(String workspaceId, String token, String extra) throws InterruptedException {
        TerminalClient client = TerminalClient.connect(portal.baseUrl(), workspaceId, origin, null);
        client.auth(ticket(workspaceId, token), extra);
        return client;
    }

    static int nonce() {
        return ThreadLocalRandom.current().nextInt(10_000, 99_999);
    }

    // ---- the terminal itself -----------------------------------------------------------------

    @Test
    void typedInputReachesAShellInTheWorkspaceAndItsOutputComesBack() throws Exception {
        try (TerminalClient terminal = open(aliceWorkspace, alice, null)) {
            JsonNode ready = terminal.await("ready", TIMEOUT);
            assertThat(ready.get("session").asText()).startsWith("ts-");
            int n = nonce();
            // The shell computes the answer, so the echo of what was typed cannot pass for it.
            terminal.type("echo hello-" + n + "-$((6*7)) in $PWD as $RDE_WORKSPACE_ID\r");
            terminal.awaitOutput("hello-" + n + "-42 in ", TIMEOUT);
            assertThat(terminal.output()).contains(" as " + aliceWorkspace);
            assertThat(openChannels()).isPositive();
        }
        // The tab is gone, its channel too (the session itself lives on, detached).
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (openChannels() > 0 && System.nanoTime() < deadline) {
            Api.sleep(50);
        }
        assertThat(openChannels()).isZero();
    }

    static double openChannels() {
        return portal.context().getBean(MeterRegistry.class).get("rde.tunnel.channels.open").gauge().value();
    }

    @Test
    void resizeAppliesToTheLiveTerminal() throws Exception {
        try (TerminalClient terminal = open(aliceWorkspace, alice, ",\"cols\":100,\"rows\":30")) {
            terminal.await("ready", TIMEOUT);
            terminal.type("stty size\r");
            terminal.awaitOutput("30 100", TIMEOUT);
            terminal.sendText("{\"type\":\"resize\",\"cols\":123,\"rows\":45}");
            terminal.type("stty size\r");
            terminal.awaitOutput("45 123", TIMEOUT);
        }
    }

    @Test
    void theTicketCanComeInTheQueryToo() throws Exception {
        try (TerminalClient terminal = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin,
                "ticket=" + ticket(aliceWorkspace, alice) + "&cols=90&rows=20")) {
            terminal.await("ready", TIMEOUT);
            terminal.type("echo from-the-query-$((2*21)); exit\r");
            terminal.awaitOutput("from-the-query-42", TIMEOUT);
            JsonNode exit = terminal.await("exit", TIMEOUT);
            assertThat(exit.get("code").asInt()).isZero();
            assertThat(exit.get("reason").asText()).contains("exited");
        }
    }

    // ---- sessions ----------------------------------------------------------------------------

    @Test
    void aDroppedClientReattachesAndGetsTheBufferReplayed() throws Exception {
        int n = nonce();
        String session;
        try (TerminalClient first = open(aliceWorkspace, alice, null)) {
            session = first.await("ready", TIMEOUT).get("session").asText();
            first.type("echo marker-" + n + "-$((1+1))\r");
            first.awaitOutput("marker-" + n + "-2", TIMEOUT);
        }
        awaitSessionState(session, "detached");

        // Bob cannot see, close or take over Alice's session: it does not exist for him.
        assertThat(sessionIds(bobWorkspace, bob)).doesNotContain(session);
        assertThat(api.delete("/api/v1/workspaces/" + aliceWorkspace + "/terminal-sessions/" + session, bob).status())
                .isEqualTo(404);
        try (TerminalClient intruder = open(bobWorkspace, bob, ",\"session\":\"" + session + "\"")) {
            assertThat(intruder.await("exit", TIMEOUT).get("reason").asText()).isEqualTo("no such terminal session");
        }

        try (TerminalClient second = open(aliceWorkspace, alice, ",\"session\":\"" + session + "\"")) {
            assertThat(second.await("ready", TIMEOUT).get("session").asText()).isEqualTo(session);
            second.awaitOutput("marker-" + n + "-2", TIMEOUT);
            second.type("echo still-the-same-shell-$((3*3))\r");
            second.awaitOutput("still-the-same-shell-9", TIMEOUT);
            awaitSessionState(session, "ready");

            assertThat(api.delete("/api/v1/workspaces/" + aliceWorkspace + "/terminal-sessions/" + session, alice)
                    .status()).isEqualTo(204);
            JsonNode exit = second.await("exit", TIMEOUT);
            assertThat(exit.get("reason").asText()).isEqualTo("closed by the user");
            assertThat(exit.get("code").isNull()).isTrue();
        }
        awaitSessionGone(session);
    }

    @Test
    void severalTabsHaveSeparateSessions() throws Exception {
        try (TerminalClient one = open(aliceWorkspace, alice, null); TerminalClient two = open(aliceWorkspace, alice, null)) {
            String a = one.await("ready", TIMEOUT).get("session").asText();
            String b = two.await("ready", TIMEOUT).get("session").asText();
            assertThat(a).isNotEqualTo(b);
            assertThat(sessionIds(aliceWorkspace, alice)).contains(a, b);
            one.type("echo only-in-one-$((5*5))\r");
            one.awaitOutput("only-in-one-25", TIMEOUT);
            two.type("echo only-in-two-$((5*6))\r");
            two.awaitOutput("only-in-two-30", TIMEOUT);
            assertThat(two.output()).doesNotContain("only-in-one-25");
        }
    }

    /**
     * Many tabs opened at once, as after a page with several tabs reloads: every one is attached
     * (ready) and answers, none is left waiting with neither ready nor exit.
     */
    @Test
    void manyTerminalsOpenedAtOnceAreAllAttached() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<TerminalClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    clients.add(open(aliceWorkspace, alice, null));
                }
                List<String> sessions = new ArrayList<>();
                for (TerminalClient client : clients) {
                    sessions.add(client.await("ready", TIMEOUT).get("session").asText());
                }
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).type("echo at-once-" + i + "-$((7*6))\r");
                }
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).awaitOutput("at-once-" + i + "-42", TIMEOUT);
                }
                sessions.forEach(session -> api.delete(
                        "/api/v1/workspaces/" + aliceWorkspace + "/terminal-sessions/" + session, alice));
            } finally {
                clients.forEach(TerminalClient::close);
            }
        }
    }

    /** A client that opens the socket and never sends its ticket is told so, and the socket ends. */
    @Test
    void aConnectionThatNeverSendsItsTicketIsRefusedWhenTheAuthTimeoutEnds() throws Exception {
        try (TerminalClient silent = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null)) {
            JsonNode exit = silent.await("exit", TIMEOUT);
            assertThat(exit.get("reason").asText()).isEqualTo("ticket refused");
        }
    }

    /** An operator can tell a client that left early from an agent that never answered. */
    @Test
    void aConnectionThatEndsBeforeItIsAttachedIsLoggedWithHowFarItGot() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("rde.gateway.terminal");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null).close();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (lines.list.stream().noneMatch(line -> line.getFormattedMessage().contains("before it was attached"))
                    && System.nanoTime() < deadline) {
                Api.sleep(20);
            }
            assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line)
                            .contains("terminal connection for workspace " + aliceWorkspace)
                            .contains("closed before it was attached, while waiting for the ticket"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void floodedOutputArrivesWholeAndInOrder() throws Exception {
        // The portal reads frames into pooled arrays and takes them back once the client's socket
        // has their bytes: an array handed out again too early would show here as lost or mixed lines.
        int lines = 300_000;
        try (TerminalClient terminal = open(aliceWorkspace, alice, null)) {
            terminal.await("ready", TIMEOUT);
            terminal.type("stty -echo; echo BEGIN-$((6*7)); seq 1 " + lines + "; echo END-$((6*7))\r");
            terminal.awaitOutput("END-42", Duration.ofSeconds(60));
            String output = terminal.output();
            String shown = output.substring(output.indexOf("BEGIN-42\r\n") + "BEGIN-42\r\n".length(), output.indexOf("END-42"));
            String expected = IntStream.rangeClosed(1, lines).mapToObj(Integer::toString)
                    .collect(Collectors.joining("\r\n", "", "\r\n"));
            int differsAt = Arrays.mismatch(shown.toCharArray(), expected.toCharArray());
            assertThat(differsAt).as(() -> "output (%d chars, %d expected) differs from seq's at %d: '%s'".formatted(
                    shown.length(), expected.length(), differsAt,
                    shown.substring(Math.max(0, differsAt - 40), Math.min(shown.length(), differsAt + 40)))).isEqualTo(-1);
        }
    }

    @Test
    void aFloodingSessionDoesNotStallAnotherSessionOnTheSameAgent() throws Exception {
        MeterRegistry meters = portal.context().getBean(MeterRegistry.class);
        String flooding;
        try (TerminalClient flood = open(aliceWorkspace, alice, null)) {
            flooding = flood.await("ready", TIMEOUT).get("session").asText();
            double before = bytesOut(meters);
            flood.type("yes flood-$((6*7))\r");
            flood.awaitOutput("flood-42", TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (bytesOut(meters) - before < 8 * 1024 * 1024 && System.nanoTime() < deadline) {
                Api.sleep(20);
            }
            assertThat(bytesOut(meters) - before).as("it floods while the tab reads").isGreaterThan(8 * 1024 * 1024);
            flood.pause(); // a tab that cannot keep up: reads nothing more

            Api.sleep(2_000);
            double stalledAt = bytesOut(meters);
            try (TerminalClient other = open(aliceWorkspace, alice, null)) {
                other.await("ready", TIMEOUT);
                for (int i = 0; i < 3; i++) {
                    int n = nonce();
                    long started = System.nanoTime();
                    other.type("echo responsive-" + n + "-$((" + i + "+100))\r");
                    other.awaitOutput("responsive-" + n + "-" + (i + 100), Duration.ofSeconds(5));
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                }
            }
            // The unread flood is held back at its source: nothing piles up in the portal.
            double outputAfterOtherSession = bytesOut(meters) - stalledAt;
            assertThat(outputAfterOtherSession).as("bytes relayed while the flooding tab read nothing")
                    .isLessThan(2 * 1024 * 1024);
        }
        assertThat(api.delete("/api/v1/workspaces/" + aliceWorkspace + "/terminal-sessions/" + flooding, alice).status())
                .isEqualTo(204);
    }

    // ---- refusals ----------------------------------------------------------------------------

    @Test
    void ticketsAreRefusedWhenReusedExpiredForeignOrMalformedAndNoTicketReachesTheEventStore() throws Exception {
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        List<String> seen = new ArrayList<>();

        // Another user's workspace: no ticket at all (404, as for a workspace that does not exist).
        Api.Response foreign = api.post("/api/v1/workspaces/" + aliceWorkspace + "/terminal-tickets", null, bob);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not-found");
        assertThat(api.post("/api/v1/workspaces/ws-nope/terminal-tickets", null, bob).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/workspaces/" + aliceWorkspace + "/terminal-tickets", null, null).status())
                .isEqualTo(401);

        // Reused.
        String once = ticket(aliceWorkspace, alice);
        seen.add(once);
        try (TerminalClient first = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null)) {
            first.auth(once, null).await("ready", TIMEOUT);
        }
        assertRefused(aliceWorkspace, once);

        // Expired (30 s TTL; moved into the past rather than waited for).
        String expired = ticket(aliceWorkspace, alice);
        seen.add(expired);
        assertThat(jdbc.update("UPDATE terminal_ticket SET expires_at = now() - interval '1 second' WHERE ticket_hash = ?",
                JoinToken.sha256Hex(expired))).isEqualTo(1);
        assertRefused(aliceWorkspace, expired);

        // Another user's ticket (for another workspace) at Alice's workspace.
        String bobs = ticket(bobWorkspace, bob);
        seen.add(bobs);
        assertRefused(aliceWorkspace, bobs);

        // Malformed, and missing.
        String malformed = "not-a-ticket-'<>";
        seen.add(malformed);
        assertRefused(aliceWorkspace, malformed);
        try (TerminalClient none = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null)) {
            none.sendText("{\"type\":\"resize\",\"cols\":80,\"rows\":24}");
            assertThat(none.await("exit", TIMEOUT).get("reason").asText()).isEqualTo("ticket refused");
        }

        List<String> refusals = awaitEvents(jdbc, "TerminalTicketRefusedEvent", 5);
        assertThat(String.join("\n", refusals))
                .contains("unknown, already used or expired ticket", "ticket issued for another workspace",
                        "malformed ticket", "bob@example.com");
        List<String> everything = jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') || convert_from(meta_data, 'UTF8') FROM domain_event_entry", String.class);
        for (String ticket : seen) {
            assertThat(everything).noneMatch(e -> e != null && (e.contains(ticket) || e.contains(JoinToken.sha256Hex(ticket))));
        }
    }

    @Test
    void aForeignOrMissingOriginIsRefusedBeforeTheUpgrade() {
        for (String badOrigin : new String[] {"http://evil.example", null}) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> TerminalClient.connect(portal.baseUrl(), aliceWorkspace, badOrigin, null));
            while (refused != null && !(refused instanceof WebSocketHandshakeException)) {
                refused = refused.getCause();
            }
            assertThat(refused).as("origin %s: handshake refused", badOrigin).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(403);
        }
        List<String> recorded = awaitEvents(portal.context().getBean(JdbcTemplate.class),
                "TerminalConnectionRefusedEvent", 2);
        assertThat(recorded).anyMatch(p -> p.contains("http://evil.example")).anyMatch(p -> p.contains("no Origin header"));
    }

    @Test
    void aClosedConnectionIsRecordedWithWhoWhereAndHowManyBytes() throws Exception {
        String typed = "echo counted-$((20+22))\r";
        String sessionId;
        try (TerminalClient terminal = open(aliceWorkspace, alice, null)) {
            sessionId = terminal.await("ready", TIMEOUT).get("session").asText();
            terminal.type(typed);
            terminal.awaitOutput("counted-42", TIMEOUT);
        }
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        String closed = null;
        long eventDeadline = System.nanoTime() + TIMEOUT.toNanos();
        while (closed == null && System.nanoTime() < eventDeadline) {
            closed = jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry "
                            + "WHERE payload_type LIKE ?", String.class, "%TerminalSessionClosedEvent").stream()
                    .filter(e -> e.contains(sessionId)).findFirst().orElse(null);
            Api.sleep(100);
        }
        assertThat(closed).as("the closed event of session %s", sessionId).isNotNull();
        JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(closed);
        assertThat(event.get("user").asText()).isEqualTo("alice@example.com");
        assertThat(event.get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("bytesIn").asLong()).isEqualTo(typed.length());
        assertThat(event.get("bytesOut").asLong()).isGreaterThan("counted-42".length());
        assertThat(event.get("openedAt").asText()).isNotBlank();
        assertThat(event.get("closedAt").asText()).isNotBlank();

        // The Security Center shows it among the closed connections.
        String admin = portal.login("admin@example.com", "admin");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = api.get("/api/v1/security/sessions?state=closed", admin).body().get("items");
            for (JsonNode c : items) {
                if (c.get("detail").asText().contains(sessionId)) {
                    assertThat(c.get("type").asText()).isEqualTo("terminal");
                    assertThat(c.get("bytesIn").asLong()).isEqualTo(typed.length());
                    assertThat(c.get("closedAt").isNull()).isFalse();
                    return;
                }
            }
            Api.sleep(100);
        }
        throw new AssertionError("the closed terminal connection never reached the connection log");
    }

    @Test
    void whatATerminalCarriesIsStoredNowhere() throws Exception {
        String marker = "MARK" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (TerminalClient terminal = open(aliceWorkspace, alice, null)) {
            terminal.await("ready", TIMEOUT);
            // Typed in, and printed back by the shell: both directions carry the marker.
            terminal.type("echo " + marker + "\r");
            terminal.awaitOutput(marker, TIMEOUT);
        }
        Api.sleep(1500); // let projections and log appenders flush
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        String hex = java.util.HexFormat.of().formatHex(marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> tables = jdbc.queryForList("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", String.class);
        assertThat(tables).contains("domain_event_entry", "terminal_ticket", "workspace_view");
        for (String table : tables) {
            Long hits = jdbc.queryForObject("SELECT count(*) FROM \"" + table + "\" t WHERE t::text LIKE ? OR t::text LIKE ?",
                    Long.class, "%" + marker + "%", "%" + hex + "%");
            assertThat(hits).as("rows of %s carrying the marker", table).isZero();
        }
        try (var files = java.nio.file.Files.walk(portal.dataDir)) {
            for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile)
                    // the workspace's own disk (the user's shell history) is the data plane's, not ours
                    .filter(f -> !f.toString().contains("/workspaces/")).toList()) {
                assertThat(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("file %s", file).doesNotContain(marker);
            }
        }
        assertThat(portal.dataDir.resolve("portal.log")).exists();
        assertThat(portal.dataDir.resolve("agent.log")).exists();
    }

    @Test
    void stoppingTheWorkspaceEndsItsTerminals() throws Exception {
        String workspace = launch(alice, "stopping");
        api.awaitWorkspace(workspace, alice, "RUNNING"::equals, RUNNING);
        try (TerminalClient terminal = open(workspace, alice, null)) {
            terminal.await("ready", TIMEOUT);
            assertThat(api.post("/api/v1/workspaces/" + workspace + "/stop", null, alice).status()).isEqualTo(202);
            JsonNode exit = terminal.await("exit", TIMEOUT);
            assertThat(exit.get("reason").asText()).isEqualTo("workspace stopped");
        }
        api.awaitWorkspace(workspace, alice, "STOPPED"::equals, RUNNING);
        assertThat(sessionIds(workspace, alice)).isEmpty();
        Api.Response refused = api.post("/api/v1/workspaces/" + workspace + "/terminal-tickets", null, alice);
        assertThat(refused.status()).isEqualTo(409);
    }

    @Test
    void anAiToolOfTheBlueprintOpensAsATabAndOnlyItsOwnToolsDo() throws Exception {
        String admin = portal.login("admin@example.com", "admin");
        Api.Response created = api.post("/api/v1/blueprints", """
                {"name":"tools","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "tools":[{"name":"greeter","command":"echo tool-says-$((40+2)) key=[$ANTHROPIC_API_KEY]; exec bash -l"}],
                 "llm":{"provider":"anthropic","apiKey":"%s"}}""".formatted(LLM_KEY), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String blueprint = created.body().get("id").asText();
        long deadline = System.nanoTime() + RUNNING.toNanos();
        while (api.get("/api/v1/blueprints/" + blueprint, alice).status() != 200 && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        Api.Response launched = api.post("/api/v1/workspaces",
                "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"with-tools\"}", alice);
        String workspace = launched.body().get("id").asText();
        api.awaitWorkspace(workspace, alice, "RUNNING"::equals, RUNNING);

        try (TerminalClient tool = open(workspace, alice, ",\"command\":\"greeter\"")) {
            tool.await("ready", TIMEOUT);
            tool.awaitOutput("tool-says-42 key=[" + LLM_KEY + "]", TIMEOUT);
        }
        // A workspace of another blueprint (the sample, no LLM provider) has no key in its terminals.
        try (TerminalClient shell = open(aliceWorkspace, alice, null)) {
            shell.await("ready", TIMEOUT);
            shell.type("echo other-$((1+1))=[$ANTHROPIC_API_KEY]\r");
            shell.awaitOutput("other-2=[]", TIMEOUT);
        }
        // A command line is not a tool name: nothing but the blueprint's tools can be asked for.
        try (TerminalClient other = open(workspace, alice, ",\"command\":\"rm -rf /\"")) {
            JsonNode exit = other.await("exit", TIMEOUT);
            assertThat(exit.get("reason").asText()).contains("no tool named 'rm -rf /'").contains("greeter");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    static void assertRefused(String workspaceId, String ticket) throws InterruptedException {
        try (TerminalClient client = TerminalClient.connect(portal.baseUrl(), workspaceId, origin, null)) {
            client.auth(ticket, null);
            JsonNode exit = client.await("exit", TIMEOUT);
            assertThat(exit.get("reason").asText()).isEqualTo("ticket refused");
            assertThat(client.awaitClosed(TIMEOUT)).isEqualTo(1008);
        }
    }

    static List<String> sessionIds(String workspaceId, String token) {
        Api.Response r = api.get("/api/v1/workspaces/" + workspaceId + "/terminal-sessions", token);
        assertThat(r.status()).as("sessions answer %s", r.body()).isEqualTo(200);
        return r.body().get("items").findValuesAsText("id");
    }

    static void awaitSessionState(String session, String state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/workspaces/" + aliceWorkspace + "/terminal-sessions", alice).body();
            for (JsonNode item : last.get("items")) {
                if (item.get("id").asText().equals(session) && item.get("state").asText().equals(state)) {
                    return;
                }
            }
            Api.sleep(100);
        }
        throw new AssertionError("session " + session + " not " + state + "; sessions: " + last);
    }

    static void awaitSessionGone(String session) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sessionIds(aliceWorkspace, alice).contains(session)) {
                return;
            }
            Api.sleep(100);
        }
        throw new AssertionError("session " + session + " still listed");
    }

    static List<String> awaitEvents(JdbcTemplate jdbc, String type, int atLeast) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> payloads = List.of();
        while (System.nanoTime() < deadline) {
            payloads = jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry "
                    + "WHERE payload_type LIKE ?", String.class, "%" + type);
            if (payloads.size() >= atLeast) {
                return payloads;
            }
            Api.sleep(100);
        }
        throw new AssertionError("expected " + atLeast + " " + type + ", found " + payloads);
    }

    static double bytesOut(MeterRegistry meters) {
        return meters.get("rde.tunnel.bytes").tag("direction", "out").tag("kind", "terminal").counter().count();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
