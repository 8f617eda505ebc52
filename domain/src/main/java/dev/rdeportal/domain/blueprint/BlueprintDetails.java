package dev.rdeportal.domain.blueprint;

import java.util.List;
import java.util.Map;

/** A blueprint's content as recorded in events. */
public record BlueprintDetails(
        String name,
        String clusterId,
        String image,
        Resources resources,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand) {

    public BlueprintDetails {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
