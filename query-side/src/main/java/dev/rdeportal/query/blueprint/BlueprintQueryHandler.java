package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.FindBlueprintQuery;
import dev.rdeportal.domain.blueprint.FindBlueprintsQuery;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers the blueprint queries of the domain from the read model, without blocking the caller. */
@Component
class BlueprintQueryHandler {

    private final BlueprintReadRepository blueprints;

    BlueprintQueryHandler(BlueprintReadRepository blueprints) {
        this.blueprints = blueprints;
    }

    @QueryHandler
    CompletableFuture<Optional<BlueprintView>> handle(FindBlueprintQuery query) {
        return blueprints.findById(query.blueprintId())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    @QueryHandler
    CompletableFuture<List<BlueprintView>> handle(FindBlueprintsQuery query) {
        return blueprints.findAll().collectList().toFuture();
    }
}
