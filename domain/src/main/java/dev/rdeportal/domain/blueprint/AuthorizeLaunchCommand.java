package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks the blueprint itself, under its aggregate's lock, whether {@code email} may launch it now,
 * and answers its current {@link BlueprintDetails}. Records nothing. A refusal reads exactly like
 * an unknown blueprint, so a launch reveals nothing about blueprints the caller may not see.
 */
public record AuthorizeLaunchCommand(@TargetAggregateIdentifier String blueprintId, String email, boolean admin) {

    public AuthorizeLaunchCommand {
        Validation.id("blueprintId", blueprintId);
        Validation.required("email", email);
    }
}
