package dev.rdeportal.domain.publish;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The agent could not remove the app, or did not answer in time. A stale operation id changes nothing. */
public record FailUnpublishOperationCommand(
        @TargetAggregateIdentifier String requestId,
        String operationId,
        String reason) {
}
