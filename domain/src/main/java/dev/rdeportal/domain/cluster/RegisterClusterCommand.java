package dev.rdeportal.domain.cluster;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a cluster with its first join token; only the token's hash travels. */
public record RegisterClusterCommand(
        @TargetAggregateIdentifier String clusterId,
        String name,
        String joinTokenHash,
        String registeredBy) {

    public RegisterClusterCommand {
        Validation.name("clusterId", clusterId);
        Validation.required("name", name);
        Validation.required("joinTokenHash", joinTokenHash);
    }
}
