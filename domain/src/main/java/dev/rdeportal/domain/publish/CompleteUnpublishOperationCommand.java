package dev.rdeportal.domain.publish;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The agent removed the published app. A stale operation id changes nothing. */
public record CompleteUnpublishOperationCommand(@TargetAggregateIdentifier String requestId, String operationId) {
}
