package dev.rdeportal.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal dies (SIGKILL) right after accepting a launch, while the workspace is provisioning.
 * After a restart the saga and the agent's idempotency journal must finish the job: the workspace
 * reaches RUNNING and the agent provisioned it exactly once.
 */
class PortalCrashIT {

    @TempDir
    Path work;

    @Test
    void sagaCompletesAfterACrashWithExactlyOneProvision() throws Exception {
        try (E2eEnvironment env = new E2eEnvironment(work)) {
            var setup = env.bootstrap();
            String id = env.launch(setup.alice(), setup.blueprint(), "survivor");
            env.portal.kill();

            env.startPortal();
            String aliceAgain = env.login("alice@example.com", "alice");
            env.api.awaitWorkspace(id, aliceAgain, "RUNNING"::equals, Duration.ofSeconds(120));

            Pattern created = Pattern.compile("workspace " + Pattern.quote(id) + " created in");
            Pattern applied = Pattern.compile("operation \\S+: provision workspace " + Pattern.quote(id) + " ");
            assertThat(env.agent.count(created)).as("workspace created on the agent").isEqualTo(1);
            assertThat(env.agent.count(applied)).as("provision applied by the agent").isEqualTo(1);
        }
    }
}
