package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Quantities;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.blueprint.BlueprintDefinition;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.Resources;
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

    BlueprintCommandController(CommandSender commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record ResourcesRequest(String cpu, String memory, String storage) {
    }

    record BlueprintRequest(String name, String clusterId, String image, ResourcesRequest resources,
                            List<Integer> ports, Map<String, String> env, String startCommand) {
    }

    record Written(String id) {
    }

    @PostMapping
    Mono<ResponseEntity<Written>> create(@RequestBody BlueprintRequest request, Principal caller,
                                         ServerWebExchange exchange) {
        String id = Ids.next("bp");
        return definition(request)
                .flatMap(definition -> commands.send(new CreateBlueprintCommand(id, definition, caller.getName()),
                        caller, exchange))
                .thenReturn(ResponseEntity.created(URI.create("/api/v1/blueprints/" + id)).body(new Written(id)));
    }

    @PutMapping("/{id}")
    Mono<ResponseEntity<Written>> update(@PathVariable String id, @RequestBody BlueprintRequest request,
                                         Principal caller, ServerWebExchange exchange) {
        Validation.id("id", id);
        return definition(request)
                .flatMap(definition -> commands.send(new UpdateBlueprintCommand(id, definition, caller.getName()),
                        caller, exchange))
                .thenReturn(ResponseEntity.ok(new Written(id)));
    }

    /** Resolves the cluster (it may be left out while exactly one is registered) and validates. */
    private Mono<BlueprintDefinition> definition(BlueprintRequest r) {
        if (r.resources() == null) {
            throw DomainException.invalid("resources (cpu, memory, storage) are required");
        }
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
                            r.startCommand());
                });
    }
}
