package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.Quantities;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A blueprint as the API shows it (API.md "Blueprint"), with resources as Kubernetes-style
 * quantities ({@code "500m"}, {@code "4Gi"}) rather than the stored millicores and MiB.
 */
record BlueprintResponse(
        String id,
        String name,
        String clusterId,
        String image,
        ResourcesResponse resources,
        List<Integer> ports,
        Map<String, String> env,
        String startCommand,
        Instant createdAt,
        Instant updatedAt) {

    record ResourcesResponse(String cpu, String memory, String storage) {
    }

    static BlueprintResponse of(BlueprintView view) {
        BlueprintDetails d = view.details();
        ResourcesResponse resources = d.resources() == null ? null : new ResourcesResponse(
                Quantities.formatCpu(d.resources().cpuMillis()),
                Quantities.formatMib(d.resources().memoryMib()),
                Quantities.formatGib(d.resources().storageGib()));
        return new BlueprintResponse(view.id(), d.name(), d.clusterId(), d.image(), resources, d.ports(), d.env(),
                d.startCommand(), view.createdAt(), view.updatedAt());
    }
}
