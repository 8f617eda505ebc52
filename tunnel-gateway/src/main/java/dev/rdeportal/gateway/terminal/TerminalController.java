package dev.rdeportal.gateway.terminal;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.channel.ChannelUnavailableException;
import dev.rdeportal.proto.v1.TerminalSessionInfo;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Terminal tickets and the caller's terminal sessions of a workspace. The WebSocket itself is
 * {@link TerminalEndpoint}.
 */
@RestController
@RequestMapping("/api/v1/workspaces/{id}")
class TerminalController {

    private final TerminalTickets tickets;
    private final WorkspaceAccess access;
    private final ChannelBroker broker;

    TerminalController(TerminalTickets tickets, WorkspaceAccess access, ChannelBroker broker) {
        this.tickets = tickets;
        this.access = access;
        this.broker = broker;
    }

    record Ticket(String ticket, Instant expiresAt) {
    }

    record Session(String id, String workspaceId, String command, String state, boolean attached, int cols, int rows,
                   Instant createdAt, Instant detachedAt) {
    }

    record Page<T>(List<T> items, String next) {
    }

    @PostMapping("/terminal-tickets")
    Mono<ResponseEntity<Ticket>> issue(@PathVariable String id, Principal caller) {
        return access.ownedAndRunning(id, caller.getName())
                .flatMap(view -> Mono.fromCallable(() -> tickets.issue(view.id(), view.clusterId(), caller.getName()))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(issued -> ResponseEntity.ok()
                        .cacheControl(CacheControl.noStore())
                        .body(new Ticket(issued.ticket(), issued.expiresAt())));
    }

    @GetMapping("/terminal-sessions")
    Mono<Page<Session>> sessions(@PathVariable String id, Principal caller) {
        return access.owned(id, caller.getName()).flatMap(view -> {
            if (view.status() != WorkspaceStatus.RUNNING) {
                // Sessions end with their workspace.
                return Mono.just(new Page<>(List.<Session>of(), null));
            }
            return Mono.fromFuture(() -> broker.terminalSessions(view.clusterId(), id, caller.getName()))
                    .onErrorMap(TerminalController::unavailable)
                    .map(list -> new Page<>(list.stream().map(TerminalController::session).toList(), null));
        });
    }

    @DeleteMapping("/terminal-sessions/{session}")
    Mono<ResponseEntity<Void>> close(@PathVariable String id, @PathVariable String session, Principal caller) {
        return access.owned(id, caller.getName())
                .flatMap(view -> view.status() != WorkspaceStatus.RUNNING
                        ? Mono.just(false)
                        : Mono.fromFuture(() -> broker.closeTerminalSession(view.clusterId(), id, caller.getName(), session))
                                .onErrorMap(TerminalController::unavailable))
                .flatMap(found -> found
                        ? Mono.just(ResponseEntity.noContent().<Void>build())
                        : Mono.error(DomainException.notFound("terminal session", session)));
    }

    private static Session session(TerminalSessionInfo info) {
        String state = info.getState().name().substring("TERMINAL_SESSION_STATE_".length()).toLowerCase(Locale.ROOT);
        return new Session(info.getSessionId(), info.getWorkspaceId(), info.getCommand(), state,
                info.getDetachedAtEpochMillis() == 0 && "ready".equals(state), info.getCols(), info.getRows(),
                Instant.ofEpochMilli(info.getCreatedAtEpochMillis()),
                info.getDetachedAtEpochMillis() == 0 ? null : Instant.ofEpochMilli(info.getDetachedAtEpochMillis()));
    }

    private static Throwable unavailable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ChannelUnavailableException
                ? new DomainException(ErrorCode.UNAVAILABLE, cause.getMessage())
                : cause;
    }
}
