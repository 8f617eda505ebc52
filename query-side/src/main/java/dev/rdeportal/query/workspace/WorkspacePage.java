package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.WorkspaceView;
import java.util.List;

/** One page of a workspace listing; {@code next} is null on the last page. */
record WorkspacePage(List<WorkspaceView> items, WorkspaceCursor next) {
}
