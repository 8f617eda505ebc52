package dev.rdeportal.domain.publish;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The agent could not publish, or did not answer in time. A stale operation id changes nothing. */
public record FailPublishOperationCommand(
        @TargetAggregateIdentifier String requestId,
        String operationId,
        String reason) {
}
