package dev.rdeportal.portal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TerminalClient;
import dev.rdeportal.portal.support.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time travel on a real portal (PostgreSQL, its agent, a real shell): a history is driven through
 * the API — a workspace runs, a terminal opens and closes, trust, the blueprint's ACL, the
 * firewall and a role change, the workspace stops — and the instant after each step is recorded.
 * Asked afterwards, when every change has happened, {@code /api/v1/audit/access} must answer each
 * instant as it was then.
 */
class AccessAtInstantPostgresTest {

    static final Duration RUNNING = Duration.ofSeconds(60);
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String ALICE = "alice@example.com";

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true);
        api = portal.api();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login(ALICE, "alice");
        bob = portal.login("bob@example.com", "bob");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void eachRecordedInstantIsAnsweredAsItWasThen() throws Exception {
        Api.Response created = api.post("/api/v1/blueprints", blueprint("{\"mode\":\"open\"}"), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String blueprint = created.body().get("id").asText();
        await(() -> api.get("/api/v1/blueprints/" + blueprint, alice), r -> r.status() == 200);
        Api.Response launched = api.post("/api/v1/workspaces",
                "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"travelled\"}", alice);
        assertThat(launched.status()).as("%s", launched.body()).isEqualTo(202);
        String ws = launched.body().get("id").asText();
        api.awaitWorkspace(ws, alice, "RUNNING"::equals, RUNNING);
        Instant running = mark();

        TerminalClient terminal = TerminalClient.connect(portal.baseUrl(), ws, portal.baseUrl(), null);
        terminal.auth(ticket(ws), null);
        terminal.await("ready", TIMEOUT);
        await(() -> api.get("/api/v1/security/sessions?state=active", admin), r -> activeOn(r, ws) == 1);
        Instant connected = mark();

        assertOk(api.put("/api/v1/members/" + ALICE, "{\"role\":\"user\",\"trusted\":true}", admin));
        Instant trusted = mark();

        assertOk(api.put("/api/v1/blueprints/" + blueprint,
                blueprint("{\"mode\":\"restricted\",\"emails\":[],\"domains\":[\"elsewhere.test\"]}"), admin));
        Instant restricted = mark();

        assertOk(api.put("/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"deny\",\"cidr\":\"203.0.113.0/24\",\"note\":\"test net\"}]}", admin));
        Instant firewalled = mark();

        terminal.close();
        await(() -> api.get("/api/v1/security/sessions?state=active", admin), r -> activeOn(r, ws) == 0);
        Instant disconnected = mark();

        assertOk(api.put("/api/v1/members/" + ALICE, "{\"role\":\"admin\",\"trusted\":false}", admin));
        Instant promoted = mark();

        assertThat(api.post("/api/v1/workspaces/" + ws + "/stop", null, alice).status()).isEqualTo(202);
        api.awaitWorkspace(ws, alice, "STOPPED"::equals, RUNNING);
        Instant stopped = mark();
        assertOk(api.put("/api/v1/security/firewall", "{\"rules\":[]}", admin));

        // Now ask about the past.
        JsonNode atRunning = access(running, ws);
        assertThat(member(atRunning, ALICE).get("role").asText()).isEqualTo("user");
        assertThat(member(atRunning, ALICE).get("trusted").asBoolean()).isFalse();
        JsonNode w = atRunning.get("workspaces").get(0);
        assertThat(w.get("id").asText()).isEqualTo(ws);
        assertThat(w.get("status").asText()).isEqualTo("RUNNING");
        assertThat(w.get("access")).hasSize(1);
        assertThat(w.get("access").get(0).get("email").asText()).as("the owner, and nobody else").isEqualTo(ALICE);
        assertThat(w.get("access").get(0).get("reason").asText()).contains("owner of the workspace")
                .contains("role user").contains("firewall: never configured, every address allowed");
        assertThat(w.get("launch").get("allowed").asBoolean()).isTrue();
        assertThat(atRunning.get("sessions")).isEmpty();
        assertThat(atRunning.get("firewall").get("rules")).isEmpty();

        JsonNode atConnected = access(connected, ws);
        assertThat(atConnected.get("sessions")).hasSize(1);
        JsonNode session = atConnected.get("sessions").get(0);
        assertThat(session.get("type").asText()).isEqualTo("terminal");
        assertThat(session.get("user").asText()).isEqualTo(ALICE);
        assertThat(session.get("clientIp").asText()).isNotBlank();
        assertThat(session.get("firewall").asText()).isEqualTo("allowed: no rules");

        assertThat(member(access(trusted, ws), ALICE).get("trusted").asBoolean()).isTrue();

        JsonNode atRestricted = access(restricted, ws);
        JsonNode launch = atRestricted.get("workspaces").get(0).get("launch");
        assertThat(launch.get("allowed").asBoolean()).as("a new launch is refused: %s", launch).isFalse();
        assertThat(atRestricted.get("workspaces").get(0).get("access")).as("the running workspace stays open")
                .hasSize(1);
        assertThat(blueprintOf(atRestricted, blueprint).get("acl").get("domains").get(0).asText())
                .isEqualTo("elsewhere.test");
        assertThat(blueprintOf(access(trusted, ws), blueprint).get("acl").get("mode").asText()).isEqualTo("open");

        JsonNode atFirewalled = access(firewalled, ws);
        assertThat(atFirewalled.get("firewall").get("rules").get(0).get("cidr").asText()).isEqualTo("203.0.113.0/24");
        assertThat(atFirewalled.get("workspaces").get(0).get("access").get(0).get("reason").asText())
                .contains("allowed except from 203.0.113.0/24 deny");
        assertThat(atFirewalled.get("sessions").get(0).get("firewall").asText()).isEqualTo("allowed by the rules");

        JsonNode atDisconnected = access(disconnected, ws);
        assertThat(atDisconnected.get("sessions")).isEmpty();
        assertThat(atDisconnected.get("workspaces").get(0).get("access")).hasSize(1);

        JsonNode atPromoted = access(promoted, ws);
        assertThat(member(atPromoted, ALICE).get("role").asText()).isEqualTo("admin");
        assertThat(member(atPromoted, ALICE).get("trusted").asBoolean()).isFalse();
        assertThat(atPromoted.get("workspaces").get(0).get("launch").get("reason").asText())
                .contains("admins may launch any blueprint");

        JsonNode atStopped = access(stopped, ws);
        assertThat(atStopped.get("workspaces").get(0).get("status").asText()).isEqualTo("STOPPED");
        assertThat(atStopped.get("workspaces").get(0).get("access")).isEmpty();
        assertThat(atStopped.get("workspaces").get(0).get("noAccess").asText()).contains("STOPPED");

        assertThat(atRunning.get("sequence").asLong()).isLessThan(atConnected.get("sequence").asLong());
        assertThat(access(Instant.parse("2000-01-01T00:00:00Z"), null).get("members")).isEmpty();
    }

    @Test
    void onlyAdminsMayAskAndOnlyAboutThePast() {
        String now = URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8);
        Api.Response refused = api.get("/api/v1/audit/access?at=" + now, bob);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("forbidden");

        Api.Response future = api.get("/api/v1/audit/access?at="
                + URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8), admin);
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.code()).isEqualTo("validation-failed");
        assertThat(api.get("/api/v1/audit/access?at=last-tuesday", admin).code()).isEqualTo("validation-failed");
        assertThat(api.get("/api/v1/audit/access", admin).code()).isEqualTo("validation-failed");
    }

    static String blueprint(String acl) {
        return "{\"name\":\"travel\",\"image\":\"debian:12\",\"resources\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"storage\":\"1Gi\"},"
                + "\"startCommand\":\"exec sleep 600\",\"acl\":" + acl + "}";
    }

    /** An instant strictly after everything done so far and strictly before what comes next. */
    static Instant mark() {
        Api.sleep(20);
        Instant now = Instant.now();
        Api.sleep(20);
        return now;
    }

    static JsonNode access(Instant at, String workspace) {
        Api.Response r = api.get("/api/v1/audit/access?at=" + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8)
                + (workspace == null ? "" : "&workspace=" + workspace), admin);
        assertThat(r.status()).as("access at %s: %s", at, r.body()).isEqualTo(200);
        return r.body();
    }

    static JsonNode member(JsonNode report, String email) {
        for (JsonNode m : report.get("members")) {
            if (m.get("email").asText().equals(email)) {
                return m;
            }
        }
        throw new AssertionError("no member " + email + " in " + report.get("members"));
    }

    static JsonNode blueprintOf(JsonNode report, String id) {
        for (JsonNode b : report.get("blueprints")) {
            if (b.get("id").asText().equals(id)) {
                return b;
            }
        }
        throw new AssertionError("no blueprint " + id + " in " + report.get("blueprints"));
    }

    static void assertOk(Api.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    }

    static long activeOn(Api.Response r, String ws) {
        if (r.status() != 200) {
            return -1;
        }
        long n = 0;
        for (JsonNode s : r.body().get("items")) {
            if (ws.equals(s.path("workspaceId").asText()) && "terminal".equals(s.path("type").asText())) {
                n++;
            }
        }
        return n;
    }

    static String ticket(String ws) {
        Api.Response r = api.post("/api/v1/workspaces/" + ws + "/terminal-tickets", null, alice);
        assertThat(r.status()).as("ticket %s", r.body()).isEqualTo(200);
        return r.body().get("ticket").asText();
    }

    static Api.Response await(java.util.function.Supplier<Api.Response> call, Predicate<Api.Response> done) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        Api.Response r = call.get();
        while (!done.test(r) && Instant.now().isBefore(deadline)) {
            Api.sleep(100);
            r = call.get();
        }
        assertThat(done.test(r)).as("in time: %s", r.body()).isTrue();
        return r;
    }
}
