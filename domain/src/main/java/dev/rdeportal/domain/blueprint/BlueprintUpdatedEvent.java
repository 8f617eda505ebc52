package dev.rdeportal.domain.blueprint;

import org.axonframework.serialization.Revision;

@Revision("1")
public record BlueprintUpdatedEvent(String blueprintId, BlueprintDetails details, String updatedBy) {
}
