package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.FindBlueprintQuery;
import dev.rdeportal.domain.workspace.DeleteWorkspaceCommand;
import dev.rdeportal.domain.workspace.LaunchWorkspaceCommand;
import dev.rdeportal.domain.workspace.StartWorkspaceCommand;
import dev.rdeportal.domain.workspace.StopWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import java.net.URI;
import java.security.Principal;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Workspace lifecycle commands. Each answers 202 with the status the workspace moved to. */
@RestController
@RequestMapping("/api/v1/workspaces")
class WorkspaceCommandController {

    private final CommandSender commands;
    private final QueryGateway queries;

    WorkspaceCommandController(CommandSender commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record LaunchRequest(String blueprintId, String name) {
    }

    record Accepted(String id, WorkspaceStatus status) {
    }

    @PostMapping
    Mono<ResponseEntity<Accepted>> launch(@RequestBody LaunchRequest request, Principal caller,
                                          ServerWebExchange exchange) {
        Validation.name("name", request.name());
        String blueprintId = Validation.id("blueprintId", request.blueprintId());
        return Mono.fromFuture(queries.query(new FindBlueprintQuery(blueprintId),
                        ResponseTypes.optionalInstanceOf(BlueprintView.class)))
                .map(found -> found.orElseThrow(() -> DomainException.invalid("unknown blueprint " + blueprintId)))
                .flatMap(blueprint -> {
                    String id = Ids.next("ws");
                    var command = new LaunchWorkspaceCommand(id, caller.getName(), request.name(), blueprintId,
                            blueprint.details().clusterId(), specOf(blueprint.details()), Ids.operation());
                    return commands.<String>send(command, caller, exchange)
                            .thenReturn(ResponseEntity.accepted()
                                    .location(URI.create("/api/v1/workspaces/" + id))
                                    .body(new Accepted(id, WorkspaceStatus.PROVISIONING)));
                });
    }

    @PostMapping("/{id}/stop")
    Mono<ResponseEntity<Accepted>> stop(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        return lifecycle(id, new StopWorkspaceCommand(Validation.id("id", id), caller.getName(), Ids.operation()),
                caller, exchange);
    }

    @PostMapping("/{id}/start")
    Mono<ResponseEntity<Accepted>> start(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        return lifecycle(id, new StartWorkspaceCommand(Validation.id("id", id), caller.getName(), Ids.operation()),
                caller, exchange);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Accepted>> delete(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        return lifecycle(id, new DeleteWorkspaceCommand(Validation.id("id", id), caller.getName(), Ids.operation()),
                caller, exchange);
    }

    private Mono<ResponseEntity<Accepted>> lifecycle(String id, Object command, Principal caller,
                                                     ServerWebExchange exchange) {
        return commands.<WorkspaceStatus>send(command, caller, exchange)
                // An unknown id must read exactly like another user's workspace.
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("workspace", id))
                .map(status -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(id, status)));
    }

    private static WorkspaceSpec specOf(BlueprintDetails d) {
        return new WorkspaceSpec(d.image(), d.resources().cpuMillis(), d.resources().memoryMib(),
                d.resources().storageGib(), d.ports(), d.env(), d.startCommand(), d.tools(), d.llm());
    }

}
