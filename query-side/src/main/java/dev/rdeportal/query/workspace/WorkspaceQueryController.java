package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.Heartbeats;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /api/v1/workspaces}: listing, one workspace, and live changes over SSE. */
@RestController
@RequestMapping("/api/v1/workspaces")
class WorkspaceQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final String SSE_EVENT = "workspace";
    static final Duration HEARTBEAT = Heartbeats.INTERVAL;

    private final WorkspaceReadRepository workspaces;
    private final QueryGateway queries;
    private final Duration heartbeat;

    @Autowired
    WorkspaceQueryController(WorkspaceReadRepository workspaces, QueryGateway queries) {
        this(workspaces, queries, HEARTBEAT);
    }

    WorkspaceQueryController(WorkspaceReadRepository workspaces, QueryGateway queries, Duration heartbeat) {
        this.workspaces = workspaces;
        this.queries = queries;
        this.heartbeat = heartbeat;
    }

    /** The caller's workspaces, or with {@code all=true} (admins only) everyone's; newest first. */
    @GetMapping
    Mono<ListResponse<WorkspaceResponse>> list(Principal principal,
                                               @RequestParam(defaultValue = "false") boolean all,
                                               @RequestParam(required = false) String limit,
                                               @RequestParam(required = false) String cursor) {
        Caller caller = Caller.of(principal);
        if (all) {
            caller.requireAdmin("listing every user's workspaces");
        }
        int size = limit(limit);
        WorkspaceCursor after = cursor == null || cursor.isEmpty() ? null : WorkspaceCursor.decode(cursor);
        return workspaces.findPage(all ? null : caller.email(), after, size)
                .map(page -> new ListResponse<>(
                        page.items().stream().map(WorkspaceResponse::of).toList(),
                        page.next() == null ? null : page.next().encode()));
    }

    /** Someone else's workspace answers exactly like an unknown one; admins may read any. */
    @GetMapping("/{id}")
    Mono<WorkspaceResponse> get(Principal principal, @PathVariable String id) {
        Caller caller = Caller.of(principal);
        return workspaces.findById(id)
                .filter(view -> caller.admin() || view.owner().equals(caller.email()))
                .map(WorkspaceResponse::of)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("workspace", id)));
    }

    /**
     * The caller's workspaces now, then each change as it is committed. Only the caller's: the
     * subscription query is keyed by owner, and the projection emits to matching owners only. A
     * comment line every {@link #HEARTBEAT} keeps idle proxies from closing the stream; when the
     * client goes away the subscription is cancelled, which frees its buffer in the emitter.
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<WorkspaceResponse>> events(Principal principal) {
        Caller caller = Caller.of(principal);
        return Flux.using(
                () -> queries.subscriptionQuery(new FindOwnedWorkspacesQuery(caller.email()),
                        ResponseTypes.multipleInstancesOf(WorkspaceView.class),
                        ResponseTypes.instanceOf(WorkspaceView.class)),
                this::stream,
                SubscriptionQueryResult::cancel);
    }

    private Flux<ServerSentEvent<WorkspaceResponse>> stream(
            SubscriptionQueryResult<List<WorkspaceView>, WorkspaceView> result) {
        return Heartbeats.around(result.initialResult()
                .flatMapMany(Flux::fromIterable)
                .concatWith(result.updates())
                .map(view -> ServerSentEvent.builder(WorkspaceResponse.of(view)).event(SSE_EVENT).build()), heartbeat);
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw DomainException.invalid("limit must be a whole number between 1 and " + MAX_LIMIT);
    }
}
