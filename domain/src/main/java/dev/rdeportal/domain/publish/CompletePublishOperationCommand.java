package dev.rdeportal.domain.publish;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The agent runs the published app; {@code url} is where members reach it. A stale operation id changes nothing. */
public record CompletePublishOperationCommand(
        @TargetAggregateIdentifier String requestId,
        String operationId,
        String url) {
}
