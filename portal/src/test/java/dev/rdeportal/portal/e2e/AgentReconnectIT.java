package dev.rdeportal.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.portal.support.WorkspaceProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is a separate JVM that dies without warning (SIGKILL). While it is gone the world moves
 * on; when it comes back with the same data dir it reconnects without a join token, reports its
 * inventory, and the control plane reconciles desired against actual state.
 */
class AgentReconnectIT {

    static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void killedAgentComesBackAndReconciles() throws Exception {
        try (E2eEnvironment env = new E2eEnvironment(work)) {
            var setup = env.bootstrap();
            String admin = setup.admin();
            String alice = setup.alice();
            String joinToken = setup.joinToken();
            String blueprint = setup.blueprint();
            String toStop = env.launch(alice, blueprint, "to-stop");
            String dies = env.launch(alice, blueprint, "dies");
            env.api.awaitWorkspace(toStop, alice, "RUNNING"::equals, SETTLE);
            env.api.awaitWorkspace(dies, alice, "RUNNING"::equals, SETTLE);

            env.agent.kill();
            E2eEnvironment.awaitTrue(() -> !env.agentConnected(admin, "e2e"), "agent disconnect recorded");

            // While the agent is gone: a user stops one workspace, and the other's processes die.
            assertThat(env.api.post("/api/v1/workspaces/" + toStop + "/stop", null, alice).status()).isEqualTo(202);
            WorkspaceProcesses.kill(WorkspaceProcesses.of(env.agentDataDir(), dies).orElseThrow());

            env.startAgent(null);
            E2eEnvironment.awaitTrue(() -> env.agentConnected(admin, "e2e"), "agent reconnected without a token");
            env.api.awaitWorkspace(toStop, alice, "STOPPED"::equals, SETTLE);
            var died = env.api.awaitWorkspace(dies, alice, "STOPPED"::equals, SETTLE);
            assertThat(died.get("statusReason").asText()).isNotBlank();
            assertThat(WorkspaceProcesses.of(env.agentDataDir(), toStop)).isEmpty();

            // The used join token cannot join a second agent, and the refusal is on record.
            env.agent.close();
            var intruder = dev.rdeportal.portal.support.JarProcess.start("intruder",
                    dev.rdeportal.portal.support.PortalHarness.AGENT_JAR,
                    java.util.List.of("--gateway", "127.0.0.1:" + env.gatewayPort, "--data-dir",
                            work.resolve("intruder").toString()),
                    java.util.Map.of("RDE_AGENT_JOIN_TOKEN", joinToken), work);
            assertThat(intruder.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(intruder.tail()).doesNotContain(joinToken.split("\\.")[2]);
            assertThat(refusalsRecorded(env)).isPositive();
            assertThat(env.agent.count(Pattern.compile(Pattern.quote(joinToken.split("\\.")[2])))).isZero();
        }
    }

    private static long refusalsRecorded(E2eEnvironment env) throws Exception {
        try (Connection c = DriverManager.getConnection(env.db.url(), env.db.user(), env.db.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%AgentJoinRefusedEvent'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
