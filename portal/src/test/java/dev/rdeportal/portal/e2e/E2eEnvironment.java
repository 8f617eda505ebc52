package dev.rdeportal.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.JarProcess;
import dev.rdeportal.portal.support.OidcLogin;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The portal jar and agent jars as separate processes, on fixed ports so a restarted portal is
 * found again by its agents, against a throw-away PostgreSQL database.
 */
final class E2eEnvironment implements AutoCloseable {

    static final Path PORTAL_JAR = Path.of("target", "rde-portal.jar");
    static final Duration START = Duration.ofSeconds(120);

    final Path work;
    final TestDatabase.Database db = TestDatabase.create();
    final int portalPort = PortalHarness.freePort();
    final int identityPort = PortalHarness.freePort();
    final int gatewayPort = PortalHarness.freePort();
    final Api api = new Api("http://localhost:" + portalPort);
    JarProcess portal;
    JarProcess agent;
    private int portalStarts;
    private int agentStarts;

    E2eEnvironment(Path work) {
        this.work = work;
    }

    JarProcess startPortal() {
        portal = JarProcess.start("portal-" + (++portalStarts), PORTAL_JAR, List.of(
                "--rde.identity.port=" + identityPort,
                "--rde.portal.port=" + portalPort,
                "--rde.identity.allowed-origins=http://localhost:" + portalPort,
                "--rde.database.url=" + db.url(),
                "--rde.database.username=" + db.user(),
                "--rde.database.password=" + db.password(),
                "--rde.gateway.port=" + gatewayPort,
                "--rde.gateway.tls.data-dir=" + work.resolve("tls").toAbsolutePath(),
                "--rde.embedded.agent-enabled=false",
                "--rde.rate-limits.requests-per-minute=100000",
                "--rde.rate-limits.launches-per-minute=100000",
                "--rde.lifecycle.operation-timeout=5m"), Map.of(), work);
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!portal.isAlive()) {
                throw new AssertionError("portal exited during start:\n" + portal.tail());
            }
            try {
                if (api.get("/actuator/health/readiness", null).status() == 200) {
                    return portal;
                }
            } catch (IllegalStateException notYet) {
                // connection refused while starting
            }
            Api.sleep(250);
        }
        throw new AssertionError("portal not ready in " + START + ":\n" + portal.tail());
    }

    JarProcess startAgent(String joinToken) {
        Map<String, String> env = joinToken == null ? Map.of() : Map.of("RDE_AGENT_JOIN_TOKEN", joinToken);
        agent = JarProcess.start("agent-" + (++agentStarts), PortalHarness.AGENT_JAR, List.of(
                "--gateway", "127.0.0.1:" + gatewayPort,
                "--data-dir", agentDataDir().toString()), env, work);
        return agent;
    }

    Path agentDataDir() {
        return work.resolve("agent").toAbsolutePath();
    }

    String login(String email, String password) {
        return OidcLogin.accessToken("http://localhost:" + identityPort, "rde-cli",
                "http://127.0.0.1:" + PortalHarness.freePort() + "/callback", email, password);
    }

    /** What {@link #bootstrap} set up: tokens of an admin and a user, the join token, a blueprint. */
    record Bootstrapped(String admin, String alice, String joinToken, String blueprint) {
    }

    /**
     * Starts the portal, registers cluster {@code e2e} with a blueprint on it, and starts an agent
     * joined to it.
     */
    Bootstrapped bootstrap() {
        startPortal();
        String admin = login("admin@example.com", "admin");
        String alice = login("alice@example.com", "alice");
        String joinToken = registerCluster(admin, "e2e");
        String blueprint = createBlueprint(admin, "e2e");
        startAgent(joinToken);
        awaitTrue(() -> agentConnected(admin, "e2e"), "agent connected");
        return new Bootstrapped(admin, alice, joinToken, blueprint);
    }

    /** Registers a cluster and a blueprint on it that runs a small HTTP app; answers the join token. */
    String registerCluster(String admin, String clusterId) {
        Api.Response registered = api.post("/api/v1/clusters", "{\"id\":\"" + clusterId + "\",\"name\":\"E2E\"}", admin);
        assertThat(registered.status()).as("%s", registered.body()).isEqualTo(201);
        return registered.body().get("joinToken").asText();
    }

    String createBlueprint(String admin, String clusterId) {
        Api.Response created = api.post("/api/v1/blueprints", """
                {"name":"app","clusterId":"%s","image":"debian:12",
                 "resources":{"cpu":"500m","memory":"512Mi","storage":"1Gi"},"ports":[8000],
                 "startCommand":"exec python3 -m http.server \\"$PORT\\" --bind 127.0.0.1"}""".formatted(clusterId), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.body().get("id").asText();
        awaitTrue(() -> api.get("/api/v1/blueprints/" + id, admin).status() == 200, "blueprint " + id + " visible");
        return id;
    }

    boolean agentConnected(String admin, String clusterId) {
        JsonNode clusters = api.get("/api/v1/clusters", admin).body();
        for (JsonNode c : clusters.get("items")) {
            if (c.get("id").asText().equals(clusterId)) {
                for (JsonNode a : c.get("agents")) {
                    if (a.get("connected").asBoolean()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    String launch(String token, String blueprintId, String name) {
        Api.Response r = api.post("/api/v1/workspaces",
                "{\"blueprintId\":\"" + blueprintId + "\",\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(202);
        return r.body().get("id").asText();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Api.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        if (portal != null) {
            portal.close();
        }
        dev.rdeportal.portal.support.WorkspaceProcesses.killAll(agentDataDir());
    }
}
