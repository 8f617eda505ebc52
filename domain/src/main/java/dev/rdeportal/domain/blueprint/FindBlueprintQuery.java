package dev.rdeportal.domain.blueprint;

/** Answers {@code Optional<BlueprintView>}. */
public record FindBlueprintQuery(String blueprintId) {
}
