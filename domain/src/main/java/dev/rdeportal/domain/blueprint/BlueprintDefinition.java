package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import java.util.List;
import java.util.Map;

/**
 * What an admin writes for a blueprint. Validated on construction; used by commands only (events
 * carry {@link BlueprintDetails}, which never validates).
 */
public record BlueprintDefinition(
        String name,
        String clusterId,
        String image,
        Resources resources,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand) {

    public BlueprintDefinition {
        Validation.name("name", name);
        Validation.id("clusterId", clusterId);
        Validation.required("image", image);
        if (image.length() > 255 || image.chars().anyMatch(Character::isWhitespace)) {
            throw DomainException.invalid("image must be an image reference without spaces, at most 255 characters");
        }
        if (resources == null) {
            throw DomainException.invalid("resources are required");
        }
        Validation.range("resources.cpu (millicores)", resources.cpuMillis(), 100, Validation.MAX_CPU_MILLIS);
        Validation.range("resources.memory (MiB)", resources.memoryMib(), 64, Validation.MAX_MEMORY_MIB);
        Validation.range("resources.storage (GiB)", resources.storageGib(), 1, Validation.MAX_STORAGE_GIB);
        Validation.ports(ports);
        Validation.env(env);
        Validation.text("startCommand", startCommand);
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public BlueprintDetails details() {
        return new BlueprintDetails(name, clusterId, image, resources, ports, env, startCommand);
    }
}
