package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.blueprint.AuthorizeLaunchCommand;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.ResolveMemberCommand;
import dev.rdeportal.domain.publish.ApprovePublishRequestCommand;
import dev.rdeportal.domain.publish.PreparePublishReviewCommand;
import dev.rdeportal.domain.publish.PublishNames;
import dev.rdeportal.domain.publish.PublishRequest;
import dev.rdeportal.domain.publish.PublishReview;
import dev.rdeportal.domain.publish.PublishReviewSubject;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.domain.publish.RejectPublishRequestCommand;
import dev.rdeportal.domain.publish.RequestPublishCommand;
import dev.rdeportal.domain.publish.UnpublishCommand;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Publishing to production: the owner's request, an admin's approval or rejection (API.md), and
 * taking the app down again.
 * Every rule is decided by an aggregate: the organisation says whether the requester is trusted
 * (read at request time, so a revocation changes only later requests), the blueprint whether the
 * requester may use it, the publish request whether it may be reviewed. Reads the list endpoints
 * serve live in the query side.
 */
@RestController
@RequestMapping("/api/v1")
class PublishCommandController {

    private final CommandSender commands;
    private final QueryGateway queries;
    private final Clock clock;

    PublishCommandController(CommandSender commands, QueryGateway queries, ObjectProvider<Clock> clock) {
        this.commands = commands;
        this.queries = queries;
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    record PublishBody(Integer port, String note) {
    }

    record ReviewBody(String comment) {
    }

    /**
     * 404 for an unknown workspace or another's, 409 unless RUNNING (the snapshot is taken from the
     * running workspace), 400 for a port its blueprint does not declare. 202 with the request:
     * PENDING, or APPROVED at once for a trusted requester who may still use the blueprint.
     */
    @PostMapping("/workspaces/{id}/publish-requests")
    Mono<ResponseEntity<PublishRequest>> request(@PathVariable String id, @RequestBody(required = false) PublishBody body,
                                                 Principal caller, ServerWebExchange exchange) {
        Validation.id("id", id);
        String requester = caller.getName();
        // Ownership first: to anyone but the owner the workspace does not exist, whatever they send.
        return Mono.fromFuture(queries.query(new FindWorkspaceQuery(id), ResponseTypes.optionalInstanceOf(WorkspaceView.class)))
                .flatMap(found -> {
                    WorkspaceView ws = found.filter(w -> w.owner().equals(requester) && w.status() != WorkspaceStatus.DELETED)
                            .orElseThrow(() -> DomainException.notFound("workspace", id));
                    if (body == null || body.port() == null) {
                        throw DomainException.invalid("port is required");
                    }
                    int port = Validation.range("port", body.port(), 1, 65535);
                    List<Integer> ports = ws.spec() == null ? List.of() : ws.spec().ports();
                    if (!ports.contains(port)) {
                        throw DomainException.invalid("workspace " + id + " has no port " + port
                                + (ports.isEmpty() ? "; its blueprint declares none" : "; its ports are " + ports));
                    }
                    if (ws.status() != WorkspaceStatus.RUNNING) {
                        throw DomainException.conflict("workspace " + id + " is " + ws.status()
                                + "; publishing takes a snapshot of a RUNNING workspace");
                    }
                    String requestId = Ids.next("pr");
                    return commands.<Member>send(new ResolveMemberCommand(Member.ORGANIZATION_ID, requester), caller, exchange)
                            .flatMap(member -> member.trusted()
                                    ? mayUse(ws.blueprintId(), member, caller, exchange).map(refusal -> refusal.isEmpty())
                                    : Mono.just(false))
                            .flatMap(autoApprove -> {
                                var command = new RequestPublishCommand(requestId, ws.id(), ws.name(), ws.clusterId(),
                                        ws.blueprintId(), requester, port, body.note(),
                                        ws.spec() == null ? null : ws.spec().startCommand(),
                                        PublishNames.of(ws.name(), requestId), autoApprove, Ids.operation(), now());
                                return commands.send(command, caller, exchange).thenReturn(ResponseEntity.accepted()
                                        .location(URI.create("/api/v1/workspaces/" + id + "/publish-requests"))
                                        .body(created(command)));
                            });
                });
    }

    /**
     * 404 unknown, 409 {@code already-reviewed}, 403 {@code self-review}; then whether the requester
     * may still use the blueprint, asked now: if not, 409 {@code requester-access-revoked}, recorded,
     * and the request stays PENDING.
     */
    @PostMapping("/publish-requests/{id}/approve")
    Mono<ResponseEntity<PublishRequest>> approve(@PathVariable String id, @RequestBody(required = false) ReviewBody body,
                                                 Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        Validation.id("id", id);
        String comment = body == null ? null : body.comment();
        return commands.<PublishReviewSubject>send(new PreparePublishReviewCommand(id, caller.getName()), caller, exchange)
                .flatMap(subject -> commands.<Member>send(new ResolveMemberCommand(Member.ORGANIZATION_ID,
                                subject.requester()), caller, exchange)
                        .flatMap(requester -> mayUse(subject.blueprintId(), requester, caller, exchange))
                        .onErrorResume(e -> e instanceof DomainException d && d.code() == ErrorCode.NOT_A_MEMBER,
                                e -> Mono.just(subject.requester() + " is no longer a member of this portal")))
                .flatMap(refusal -> commands.<PublishReview>send(new ApprovePublishRequestCommand(id, caller.getName(),
                        comment, refusal.isEmpty() ? null : refusal, Ids.operation(), now()), caller, exchange))
                .map(review -> {
                    if (review.refusal() != null) {
                        throw new DomainException(ErrorCode.REQUESTER_ACCESS_REVOKED, "publish request " + id
                                + " cannot be approved: " + review.refusal() + "; it stays PENDING (reject it, or "
                                + "approve it once the requester has access again)");
                    }
                    return ResponseEntity.ok(review.request());
                })
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("publish request", id));
    }

    @PostMapping("/publish-requests/{id}/reject")
    Mono<ResponseEntity<PublishRequest>> reject(@PathVariable String id, @RequestBody(required = false) ReviewBody body,
                                                Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        Validation.id("id", id);
        return commands.<PublishRequest>send(new RejectPublishRequestCommand(id, caller.getName(),
                        body == null ? null : body.comment(), now()), caller, exchange)
                .map(ResponseEntity::ok)
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("publish request", id));
    }

    /**
     * Takes a published app down, for its requester or an admin: 404 unknown or another's, 409
     * unless PUBLISHED (or its publish FAILED, to remove what that left); 202 with the request,
     * UNPUBLISHING until the agent has removed the app.
     */
    @PostMapping("/publish-requests/{id}/unpublish")
    Mono<ResponseEntity<PublishRequest>> unpublish(@PathVariable String id, Principal caller, ServerWebExchange exchange) {
        Validation.id("id", id);
        return commands.<PublishRequest>send(new UnpublishCommand(id, caller.getName(),
                        WorkspaceCommandController.isAdmin(caller), Ids.operation(), now()), caller, exchange)
                .map(request -> ResponseEntity.accepted().body(request))
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("publish request", id));
    }

    /** Empty when {@code member} may use the blueprint now (admins may use every one), else why not. */
    private Mono<String> mayUse(String blueprintId, Member member, Principal caller, ServerWebExchange exchange) {
        return commands.<BlueprintDetails>send(new AuthorizeLaunchCommand(blueprintId, member.email(), member.admin()),
                        caller, exchange)
                .map(details -> "")
                .onErrorResume(e -> e instanceof AggregateNotFoundException
                                || e instanceof DomainException d && d.code() == ErrorCode.VALIDATION_FAILED,
                        e -> Mono.just(member.email() + " may no longer use blueprint " + blueprintId));
    }

    private static PublishRequest created(RequestPublishCommand c) {
        boolean auto = c.autoApprove();
        return new PublishRequest(c.requestId(), c.workspaceId(), c.workspaceName(), c.requester(), c.port(), c.note(),
                auto ? PublishStatus.APPROVED : PublishStatus.PENDING, null,
                auto ? RequestPublishCommand.AUTO_APPROVAL_COMMENT : null, c.at(), auto ? c.at() : null, auto, null, null);
    }

    /** Microseconds: what the read model stores, so its cursors compare exactly. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireAdmin(Principal caller) {
        if (!WorkspaceCommandController.isAdmin(caller)) {
            throw new DomainException(ErrorCode.FORBIDDEN, "reviewing publish requests is for admins only");
        }
    }
}
