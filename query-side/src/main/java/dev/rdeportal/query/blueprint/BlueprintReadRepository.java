package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.query.support.Columns;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads {@code blueprint_view} through R2DBC, for the query handlers and the REST endpoints alike. */
@Component
class BlueprintReadRepository {

    private static final String SELECT = "SELECT " + BlueprintRows.COLUMNS + " FROM blueprint_view";

    private final DatabaseClient db;

    BlueprintReadRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<BlueprintView> findById(String blueprintId) {
        return db.sql(SELECT + " WHERE id = :id")
                .bind("id", blueprintId)
                .map(row -> BlueprintRows.toView(Columns.of(row)))
                .one();
    }

    /** Every blueprint, by name (names are unique per the command side; id settles any tie). */
    Flux<BlueprintView> findAll() {
        return db.sql(SELECT + " ORDER BY name, id")
                .map(row -> BlueprintRows.toView(Columns.of(row)))
                .all();
    }
}
