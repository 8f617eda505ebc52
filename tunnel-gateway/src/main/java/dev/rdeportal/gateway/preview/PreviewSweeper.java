package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.gateway.terminal.TerminalAudit;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code interval}: writes the preview sessions' counts and closes the sessions that expired
 * or went idle, recording a {@link PreviewSessionClosedEvent} for each. On shutdown the counts are
 * written once more.
 */
final class PreviewSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.preview");

    private final PreviewSessions sessions;
    private final TerminalAudit audit;
    private final Duration interval;
    private volatile ScheduledExecutorService timer;

    PreviewSweeper(PreviewSessions sessions, TerminalAudit audit, Duration interval) {
        this.sessions = sessions;
        this.audit = audit;
        this.interval = interval;
    }

    /** One sweep; public to the package for tests. */
    void sweep() {
        record(sessions.sweep());
    }

    /** Ends the workspace's preview sessions now, recording each; public to the package for tests. */
    void closeWorkspace(String workspaceId, String reason) {
        record(sessions.closeWorkspace(workspaceId, reason));
    }

    private void record(java.util.List<PreviewSessions.Closed> ended) {
        for (PreviewSessions.Closed closed : ended) {
            PreviewSessions.Session s = closed.session();
            log.info("preview session {} on port {} of workspace {} closed: {} ({} requests)", s.sessionId(), s.port(),
                    s.workspaceId(), closed.reason(), closed.requests());
            audit.record(new PreviewSessionClosedEvent(s.sessionId(), s.workspaceId(), s.port(), s.user(), s.clientIp(),
                    s.openedAt(), closed.closedAt(), closed.requests(), closed.bytesIn(), closed.bytesOut(),
                    closed.reason()), s.user(), s.clientIp()).block();
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-preview-sweeper");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("preview session sweep failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = timer;
        timer = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                sessions.flush();
            } catch (RuntimeException e) {
                log.warn("could not write preview session counts on shutdown: {}", e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
