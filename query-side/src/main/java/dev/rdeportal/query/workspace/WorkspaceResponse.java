package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import java.time.Instant;
import java.util.List;

/**
 * A workspace as the API shows it (API.md "Workspace"). Deliberately not the view: the spec's
 * environment may hold secrets, and the pending operation and agent-side port mapping are the
 * control plane's business.
 *
 * @param ports the app ports of the blueprint the workspace was launched from
 */
record WorkspaceResponse(
        String id,
        String name,
        String blueprintId,
        String clusterId,
        String owner,
        WorkspaceStatus status,
        String statusReason,
        List<Integer> ports,
        Instant createdAt,
        Instant updatedAt) {

    static WorkspaceResponse of(WorkspaceView view) {
        return new WorkspaceResponse(view.id(), view.name(), view.blueprintId(), view.clusterId(), view.owner(),
                view.status(), view.statusReason(), view.spec() == null ? List.of() : view.spec().ports(),
                view.createdAt(), view.updatedAt());
    }
}
