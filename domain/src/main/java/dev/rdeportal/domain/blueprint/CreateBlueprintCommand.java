package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateBlueprintCommand(
        @TargetAggregateIdentifier String blueprintId,
        BlueprintDefinition definition,
        String createdBy) {

    public CreateBlueprintCommand {
        Validation.id("blueprintId", blueprintId);
        if (definition == null) {
            throw DomainException.invalid("blueprint definition is required");
        }
    }
}
