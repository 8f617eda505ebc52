package dev.rdeportal.domain.blueprint;

/** All blueprints by name; answers {@code List<BlueprintView>}. */
public record FindBlueprintsQuery() {
}
