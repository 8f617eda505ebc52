package dev.rdeportal.domain.blueprint;

import org.axonframework.serialization.Revision;

@Revision("1")
public record BlueprintCreatedEvent(String blueprintId, BlueprintDetails details, String createdBy) {
}
