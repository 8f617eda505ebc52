package dev.rdeportal.query.workspace;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.JsonColumns;
import dev.rdeportal.query.support.Timestamps;
import java.util.Map;
import java.util.function.Function;

/**
 * One mapping from a {@code workspace_view} row to a {@link WorkspaceView}, shared by the JDBC
 * projection (which reads back what it wrote, to emit it) and the R2DBC repository: both hand
 * columns over as "name → value", so neither can drift from the other.
 */
final class WorkspaceRows {

    static final String COLUMNS = "id, name, blueprint_id, cluster_id, owner, status, status_reason, "
            + "pending_operation_id, pending_operation, spec_json, ports_json, created_at, updated_at";

    private static final TypeReference<Map<Integer, Integer>> PORTS = new TypeReference<>() {
    };

    private WorkspaceRows() {
    }

    static WorkspaceView toView(Function<String, Object> column) {
        String pending = (String) column.apply("pending_operation");
        Map<Integer, Integer> ports = JsonColumns.read((String) column.apply("ports_json"), PORTS);
        return new WorkspaceView(
                (String) column.apply("id"),
                (String) column.apply("name"),
                (String) column.apply("blueprint_id"),
                (String) column.apply("cluster_id"),
                (String) column.apply("owner"),
                WorkspaceStatus.valueOf((String) column.apply("status")),
                (String) column.apply("status_reason"),
                (String) column.apply("pending_operation_id"),
                pending == null ? null : OperationKind.valueOf(pending),
                JsonColumns.read((String) column.apply("spec_json"), WorkspaceSpec.class),
                ports == null ? Map.of() : Map.copyOf(ports),
                Timestamps.toInstant(column.apply("created_at")),
                Timestamps.toInstant(column.apply("updated_at")));
    }
}
