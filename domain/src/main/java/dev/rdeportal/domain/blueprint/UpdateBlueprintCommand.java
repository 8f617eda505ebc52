package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces a blueprint's content. Running workspaces keep the spec they were launched with. The
 * LLM API key is write-only: with {@code keepApiKey} the stored key stays when the request brings
 * none.
 */
public record UpdateBlueprintCommand(
        @TargetAggregateIdentifier String blueprintId,
        BlueprintDefinition definition,
        String updatedBy,
        boolean keepApiKey) {

    public UpdateBlueprintCommand(String blueprintId, BlueprintDefinition definition, String updatedBy) {
        this(blueprintId, definition, updatedBy, true);
    }

    public UpdateBlueprintCommand {
        Validation.id("blueprintId", blueprintId);
        if (definition == null) {
            throw DomainException.invalid("blueprint definition is required");
        }
    }
}
