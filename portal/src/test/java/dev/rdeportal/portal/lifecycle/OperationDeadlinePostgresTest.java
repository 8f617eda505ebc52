package dev.rdeportal.portal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no agent to answer, the lifecycle saga's deadline (configured here to 3 s) fails the
 * operation: the workspace does not stay PROVISIONING forever, and the user is told why.
 */
class OperationDeadlinePostgresTest {

    @TempDir
    static Path dataDir;
    static PortalHarness portal;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, false, "--rde.lifecycle.operation-timeout=3s");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void anOperationWithoutAnswerFailsAtItsDeadline() {
        Api api = portal.api();
        String alice = portal.login("alice@example.com", "alice");
        Api.Response launched = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"orphan\"}", alice);
        assertThat(launched.status()).isEqualTo(202);
        String id = launched.body().get("id").asText();
        JsonNode failed = api.awaitWorkspace(id, alice, "FAILED"::equals, Duration.ofSeconds(30));
        assertThat(failed.get("statusReason").asText()).isEqualTo("provision failed: the agent did not answer within 3 s");
        // And it can be tried again.
        assertThat(api.post("/api/v1/workspaces/" + id + "/start", null, alice).status()).isEqualTo(202);
    }
}
