package dev.rdeportal.gateway.terminal;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;

/**
 * Whether a workspace is the caller's, asked of the read side. Unknown and not-yours answer the
 * same 404 as everywhere else in the API.
 */
public final class WorkspaceAccess {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final QueryGateway queries;
    private final Duration timeout;

    public WorkspaceAccess(QueryGateway queries, Duration timeout) {
        this.queries = queries;
        this.timeout = timeout;
    }

    public static boolean validId(String workspaceId) {
        return workspaceId != null && ID.matcher(workspaceId).matches();
    }

    /** The caller's workspace, or {@link DomainException#notFound}. */
    public Mono<WorkspaceView> owned(String workspaceId, String user) {
        if (!validId(workspaceId)) {
            return Mono.error(DomainException.notFound("workspace", String.valueOf(workspaceId)));
        }
        return Mono.defer(() -> Mono.fromFuture(queries.query(new FindWorkspaceQuery(workspaceId),
                        ResponseTypes.optionalInstanceOf(WorkspaceView.class))))
                .timeout(timeout)
                .flatMap(found -> Optional.ofNullable(found).flatMap(o -> o)
                        .filter(view -> view.owner().equals(user) && view.status() != WorkspaceStatus.DELETED)
                        .map(Mono::just)
                        .orElseGet(() -> Mono.error(DomainException.notFound("workspace", workspaceId))));
    }

    /** The caller's workspace, which must be running for a terminal. */
    Mono<WorkspaceView> ownedAndRunning(String workspaceId, String user) {
        return owned(workspaceId, user).flatMap(view -> view.status() == WorkspaceStatus.RUNNING
                ? Mono.just(view)
                : Mono.error(DomainException.conflict("workspace " + workspaceId + " is " + view.status()
                        + "; a terminal needs it RUNNING")));
    }
}
