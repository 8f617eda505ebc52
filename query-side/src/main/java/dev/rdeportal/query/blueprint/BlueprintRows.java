package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.query.support.JsonColumns;
import dev.rdeportal.query.support.Timestamps;
import java.util.function.Function;

/** The one mapping from a {@code blueprint_view} row to a {@link BlueprintView}. */
final class BlueprintRows {

    static final String COLUMNS = "id, details_json, created_at, updated_at";

    private BlueprintRows() {
    }

    static BlueprintView toView(Function<String, Object> column) {
        return new BlueprintView(
                (String) column.apply("id"),
                JsonColumns.read((String) column.apply("details_json"), BlueprintDetails.class),
                Timestamps.toInstant(column.apply("created_at")),
                Timestamps.toInstant(column.apply("updated_at")));
    }
}
