package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.command.organization.WorkspaceLimits;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.blueprint.AuthorizeLaunchCommand;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.ReleaseWorkspaceSlotCommand;
import dev.rdeportal.domain.member.ReserveWorkspaceSlotCommand;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceView;
import org.springframework.security.core.Authentication;
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
    private final WorkspaceLimits limits;

    WorkspaceCommandController(CommandSender commands, QueryGateway queries, WorkspaceLimits limits) {
        this.commands = commands;
        this.queries = queries;
        this.limits = limits;
    }

    record LaunchRequest(String blueprintId, String name) {
    }

    record Accepted(String id, WorkspaceStatus status) {
    }

    /**
     * Three steps, each decided by an aggregate: the blueprint's ACL allows the caller (a refusal
     * reads like an unknown blueprint), the organisation reserves one of the caller's
     * running-workspace slots (409 {@code workspace-limit-reached} when full), then the workspace
     * is launched. A failed launch gives its slot back.
     */
    @PostMapping
    Mono<ResponseEntity<Accepted>> launch(@RequestBody LaunchRequest request, Principal caller,
                                          ServerWebExchange exchange) {
        Validation.name("name", request.name());
        String blueprintId = Validation.id("blueprintId", request.blueprintId());
        String id = Ids.next("ws");
        String operationId = Ids.operation();
        return commands.<BlueprintDetails>send(new AuthorizeLaunchCommand(blueprintId, caller.getName(), isAdmin(caller)),
                        caller, exchange)
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.invalid("unknown blueprint " + blueprintId))
                .flatMap(blueprint -> {
                    var command = new LaunchWorkspaceCommand(id, caller.getName(), request.name(), blueprintId,
                            blueprint.clusterId(), specOf(blueprint), operationId);
                    return withSlot(id, operationId, commands.<String>send(command, caller, exchange), caller, exchange)
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

    /**
     * A started workspace counts against the limit again, so it takes a slot first. The read model
     * is asked before, only so that a start that cannot succeed (unknown, not yours, not stopped)
     * records no reservation; the aggregate still decides.
     */
    @PostMapping("/{id}/start")
    Mono<ResponseEntity<Accepted>> start(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        Validation.id("id", id);
        String operationId = Ids.operation();
        return Mono.fromFuture(queries.query(new FindWorkspaceQuery(id), ResponseTypes.optionalInstanceOf(WorkspaceView.class)))
                .flatMap(found -> {
                    WorkspaceView view = found.filter(w -> w.owner().equals(caller.getName())
                            && w.status() != WorkspaceStatus.DELETED).orElseThrow(() -> DomainException.notFound("workspace", id));
                    if (view.status() != WorkspaceStatus.STOPPED && view.status() != WorkspaceStatus.FAILED) {
                        throw DomainException.conflict("workspace " + id + " is " + view.status()
                                + "; only a STOPPED or FAILED workspace can be started");
                    }
                    return lifecycle(id, withSlot(id, operationId, commands.<WorkspaceStatus>send(
                            new StartWorkspaceCommand(id, caller.getName(), operationId), caller, exchange), caller, exchange));
                });
    }

    /** Runs {@code then} holding a new slot for this run; gives the slot back if it fails. */
    private <R> Mono<R> withSlot(String workspaceId, String operationId, Mono<R> then, Principal caller,
                                 ServerWebExchange exchange) {
        var reserve = new ReserveWorkspaceSlotCommand(Member.ORGANIZATION_ID, caller.getName(), workspaceId, operationId,
                limits.defaultLimit());
        return commands.send(reserve, caller, exchange)
                .then(then)
                .onErrorResume(failure -> !(failure instanceof DomainException d && (d.code() == ErrorCode.WORKSPACE_LIMIT_REACHED
                                || d.code() == ErrorCode.NOT_A_MEMBER)),
                        failure -> commands.send(new ReleaseWorkspaceSlotCommand(Member.ORGANIZATION_ID, operationId),
                                        caller, exchange)
                                .onErrorResume(e -> Mono.empty())
                                .then(Mono.error(failure)));
    }

    static boolean isAdmin(Principal caller) {
        return caller instanceof Authentication authentication && authentication.getAuthorities().stream()
                .anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Accepted>> delete(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        return lifecycle(id, new DeleteWorkspaceCommand(Validation.id("id", id), caller.getName(), Ids.operation()),
                caller, exchange);
    }

    private Mono<ResponseEntity<Accepted>> lifecycle(String id, Object command, Principal caller,
                                                     ServerWebExchange exchange) {
        return lifecycle(id, commands.<WorkspaceStatus>send(command, caller, exchange));
    }

    private Mono<ResponseEntity<Accepted>> lifecycle(String id, Mono<WorkspaceStatus> sent) {
        return sent
                // An unknown id must read exactly like another user's workspace.
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("workspace", id))
                .map(status -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(id, status)));
    }

    private static WorkspaceSpec specOf(BlueprintDetails d) {
        return new WorkspaceSpec(d.image(), d.resources().cpuMillis(), d.resources().memoryMib(),
                d.resources().storageGib(), d.ports(), d.env(), d.startCommand(), d.tools(), d.llm());
    }

}
