package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A workspace that stops, fails or goes away takes its preview sessions with it at once, each
 * recorded as closed with the reason, rather than lingering as "active" in the connection log until
 * the idle sweep (the relay refuses their requests anyway, as the workspace is not running).
 *
 * <p>Subscribing: it runs where the event is published, after that unit of work commits, off the
 * command's thread. The sessions live in the shared database, so the one replica that published the
 * event closes them for every replica; if it dies in between, the idle sweep still ends them.
 */
@ProcessingGroup(PreviewSessionCloser.GROUP)
final class PreviewSessionCloser {

    static final String GROUP = "preview-session-closer";

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.preview");

    private final PreviewSweeper sweeper;

    PreviewSessionCloser(PreviewSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @EventHandler
    void on(WorkspaceStopRequestedEvent e) {
        close(e.workspaceId(), "workspace stopping");
    }

    @EventHandler
    void on(WorkspaceStoppedEvent e) {
        close(e.workspaceId(), "workspace stopped");
    }

    @EventHandler
    void on(WorkspaceFailedEvent e) {
        close(e.workspaceId(), "workspace failed");
    }

    @EventHandler
    void on(WorkspaceDeleteRequestedEvent e) {
        close(e.workspaceId(), "workspace being deleted");
    }

    @EventHandler
    void on(WorkspaceDeletedEvent e) {
        close(e.workspaceId(), "workspace deleted");
    }

    private void close(String workspaceId, String reason) {
        Runnable closing = () -> Mono.fromRunnable(() -> sweeper.closeWorkspace(workspaceId, reason))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(null, e -> log.warn("could not close the preview sessions of workspace {}: {}",
                        workspaceId, e.toString()));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(uow -> closing.run());
        } else {
            closing.run();
        }
    }
}
