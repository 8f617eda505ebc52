package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events and times the workspace tests share. */
final class Workspaces {

    static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    static final WorkspaceSpec SPEC = new WorkspaceSpec("ghcr.io/acme/java:21", 2000, 4096, 10,
            List.of(8080, 3000), Map.of("JAVA_OPTS", "-Xmx2g"), "./gradlew bootRun");

    private Workspaces() {
    }

    static WorkspaceLaunchedEvent launched(String id, String owner) {
        return new WorkspaceLaunchedEvent(id, owner, "ws-" + id, "bp-java", "c1", SPEC, "op-" + id + "-1");
    }

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }
}
