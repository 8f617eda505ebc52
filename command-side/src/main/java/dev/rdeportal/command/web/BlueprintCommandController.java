package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Quantities;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.blueprint.BlueprintAcl;
import dev.rdeportal.domain.blueprint.BlueprintDefinition;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.LlmKind;
import dev.rdeportal.domain.blueprint.LlmSettings;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.blueprint.Tool;
import dev.rdeportal.command.secrets.SecretBox;
import dev.rdeportal.domain.blueprint.UpdateBlueprintCommand;
import dev.rdeportal.domain.cluster.ClusterView;
import dev.rdeportal.domain.cluster.FindClustersQuery;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Blueprint writes (admins only: enforced by the portal's security rules). */
@RestController
@RequestMapping("/api/v1/blueprints")
class BlueprintCommandController {

    private final CommandSender commands;
    private final QueryGateway queries;
    private final SecretBox secrets;

    BlueprintCommandController(CommandSender commands, QueryGateway queries, SecretBox secrets) {
        this.commands = commands;
        this.queries = queries;
        this.secrets = secrets;
    }

    record ResourcesRequest(String cpu, String memory, String storage) {
    }

    record LlmRequest(String provider, String endpoint, String apiKey) {

        @Override
        public String toString() {
            return "LlmRequest[" + provider + ", " + endpoint + "]";
        }
    }

    record AclRequest(String mode, List<String> emails, List<String> domains) {
    }

    record BlueprintRequest(String name, String clusterId, String image, ResourcesRequest resources,
                            List<Integer> ports, Map<String, String> env, String startCommand, List<Tool> tools,
                            LlmRequest llm, AclRequest acl) {
    }

    record Written(String id) {
    }

    @PostMapping
    Mono<ResponseEntity<Written>> create(@RequestBody BlueprintRequest request, Principal caller,
                                         ServerWebExchange exchange) {
        String id = Ids.next("bp");
        return definition(id, request)
                .flatMap(definition -> commands.send(new CreateBlueprintCommand(id, definition, caller.getName()),
                        caller, exchange))
                .thenReturn(ResponseEntity.created(URI.create("/api/v1/blueprints/" + id)).body(new Written(id)));
    }

    @PutMapping("/{id}")
    Mono<ResponseEntity<Written>> update(@PathVariable String id, @RequestBody BlueprintRequest request,
                                         Principal caller, ServerWebExchange exchange) {
        Validation.id("id", id);
        boolean keepApiKey = request.llm() != null && request.llm().apiKey() == null;
        return definition(id, request)
                .flatMap(definition -> commands.send(new UpdateBlueprintCommand(id, definition, caller.getName(),
                        keepApiKey), caller, exchange))
                .thenReturn(ResponseEntity.ok(new Written(id)));
    }

    /**
     * The key is encrypted here, bound to its blueprint, before anything else sees it: the command,
     * the events and the read model only ever hold ciphertext. An empty key removes it; a missing
     * one (on update) keeps the stored one.
     */
    private LlmSettings llm(String blueprintId, LlmRequest request) {
        if (request == null) {
            return null;
        }
        LlmKind kind;
        try {
            kind = request.provider() == null ? null : LlmKind.valueOf(request.provider().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null) {
            throw DomainException.invalid("llm.provider must be one of anthropic, openai, custom");
        }
        String key = request.apiKey();
        if (key != null && key.length() > 4096) {
            throw DomainException.invalid("llm.apiKey must be at most 4096 characters");
        }
        String ciphertext = key == null || key.isEmpty() ? null
                : secrets.encrypt(key, LlmSettings.keyContext(blueprintId));
        return new LlmSettings(kind, request.endpoint() == null || request.endpoint().isBlank() ? null
                : request.endpoint().trim(), ciphertext);
    }

    /** Resolves the cluster (it may be left out while exactly one is registered) and validates. */
    private Mono<BlueprintDefinition> definition(String blueprintId, BlueprintRequest r) {
        if (r.resources() == null) {
            throw DomainException.invalid("resources (cpu, memory, storage) are required");
        }
        LlmSettings llm = llm(blueprintId, r.llm());
        // No acl in the request: open, as every blueprint was before ACLs.
        BlueprintAcl acl = r.acl() == null ? BlueprintAcl.OPEN
                : BlueprintAcl.of(r.acl().mode(), r.acl().emails(), r.acl().domains());
        Resources resources = new Resources(
                Quantities.parseCpuMillis("resources.cpu", r.resources().cpu()),
                Quantities.parseMib("resources.memory", r.resources().memory()),
                Quantities.parseGib("resources.storage", r.resources().storage()));
        return Mono.fromFuture(queries.query(new FindClustersQuery(),
                        ResponseTypes.multipleInstancesOf(ClusterView.class)))
                .map(clusters -> {
                    String clusterId = r.clusterId();
                    if (clusterId == null || clusterId.isBlank()) {
                        if (clusters.size() != 1) {
                            throw DomainException.invalid("clusterId is required when "
                                    + clusters.size() + " clusters are registered");
                        }
                        clusterId = clusters.get(0).id();
                    } else {
                        String wanted = clusterId;
                        if (clusters.stream().noneMatch(c -> c.id().equals(wanted))) {
                            throw DomainException.invalid("unknown cluster " + wanted);
                        }
                    }
                    return new BlueprintDefinition(r.name(), clusterId, r.image(), resources, r.ports(), r.env(),
                            r.startCommand(), r.tools(), llm, acl);
                });
    }
}
