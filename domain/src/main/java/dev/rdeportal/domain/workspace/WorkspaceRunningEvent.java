package dev.rdeportal.domain.workspace;

import java.util.Map;
import org.axonframework.serialization.Revision;

/** The agent reports the workspace running; {@code ports} maps each app port to where the agent reaches it. */
@Revision("1")
public record WorkspaceRunningEvent(String workspaceId, String operationId, Map<Integer, Integer> ports) {
}
