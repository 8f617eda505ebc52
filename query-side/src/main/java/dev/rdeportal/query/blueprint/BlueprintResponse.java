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
        List<ToolResponse> tools,
        LlmResponse llm,
        AclResponse acl,
        Instant createdAt,
        Instant updatedAt) {

    record ResourcesResponse(String cpu, String memory, String storage) {
    }

    record ToolResponse(String name, String command) {
    }

    /** The key is write-only: clients learn whether one is set, never the key or its ciphertext. */
    record LlmResponse(String provider, String endpoint, boolean keySet) {
    }

    record AclResponse(String mode, List<String> emails, List<String> domains) {
    }

    static BlueprintResponse of(BlueprintView view) {
        BlueprintDetails d = view.details();
        ResourcesResponse resources = d.resources() == null ? null : new ResourcesResponse(
                Quantities.formatCpu(d.resources().cpuMillis()),
                Quantities.formatMib(d.resources().memoryMib()),
                Quantities.formatGib(d.resources().storageGib()));
        List<ToolResponse> tools = d.tools().stream().map(t -> new ToolResponse(t.name(), t.command())).toList();
        LlmResponse llm = d.llm() == null || d.llm().kind() == null ? null : new LlmResponse(
                d.llm().kind().name().toLowerCase(java.util.Locale.ROOT), d.llm().endpoint(), d.llm().keySet());
        return new BlueprintResponse(view.id(), d.name(), d.clusterId(), d.image(), resources, d.ports(), d.env(),
                d.startCommand(), tools, llm, new AclResponse(d.acl().mode().code(), d.acl().emails(), d.acl().domains()),
                view.createdAt(), view.updatedAt());
    }
}
