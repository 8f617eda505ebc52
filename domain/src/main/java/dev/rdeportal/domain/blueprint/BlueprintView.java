package dev.rdeportal.domain.blueprint;

import java.time.Instant;

public record BlueprintView(String id, BlueprintDetails details, Instant createdAt, Instant updatedAt) {
}
