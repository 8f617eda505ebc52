package dev.rdeportal.agent.terminal;

import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelClose;
import dev.rdeportal.proto.v1.TerminalSessionInfo;
import dev.rdeportal.proto.v1.TerminalSessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal: a process on a TTY, the last output it displayed, and at most one attached client.
 * <pre>
 *   STARTING --attach--> READY --client gone--> DETACHED --timeout / close--> CLOSING --> DONE
 *                          ^                        |
 *                          +-------re-attach--------+
 * </pre>
 * Forward only, but for the one loop a re-attach makes. The process exiting takes any state
 * straight to DONE. The session lives on the agent, so it survives a dropped browser, a portal
 * restart and a reconnect of the tunnel alike.
 *
 * <p>One reader thread ({@link #pump()}) moves output into the ring buffer and to the attached
 * client. It waits for the client's credit outside the lock, and appends to the buffer and sends
 * under it, so an attaching client gets the buffer and then exactly what follows it.
 */
final class TerminalSession {

    enum State { STARTING, READY, DETACHED, CLOSING, DONE }

    private static final Logger log = LoggerFactory.getLogger("rde.agent.terminal");
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    final String id;
    final String workspaceId;
    final String user;
    final String command;
    final Instant createdAt;
    private final TerminalProcess process;
    private final RingBuffer buffer;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration detachTimeout;
    private final Consumer<TerminalSession> onDone;

    // Guarded by this.
    private State state = State.STARTING;
    private ChannelStream attached;
    private ScheduledFuture<?> detachTimer;
    private Instant detachedAt;
    private String closeReason;
    private int cols;
    private int rows;
    // Read without the lock: a client's credit wait asks it while holding its own lock.
    private volatile boolean ending;

    TerminalSession(String id, String workspaceId, String user, String command, TerminalProcess process,
                    int cols, int rows, TerminalConfig config, Clock clock, ScheduledExecutorService scheduler,
                    Consumer<TerminalSession> onDone) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.user = user;
        this.command = command;
        this.process = process;
        this.cols = cols;
        this.rows = rows;
        this.buffer = new RingBuffer(config.bufferBytes());
        this.clock = clock;
        this.scheduler = scheduler;
        this.detachTimeout = config.detachTimeout();
        this.onDone = onDone;
        this.createdAt = clock.instant();
    }

    synchronized State state() {
        return state;
    }

    /**
     * Attaches a client: it is told the session id, gets the buffered output, then live output.
     * A client attached before is detached with a reason. False when the session is ending.
     */
    boolean attach(ChannelStream client, int newCols, int newRows) {
        ChannelStream previous;
        synchronized (this) {
            if (state == State.CLOSING || state == State.DONE) {
                return false;
            }
            previous = attached;
            attached = client;
            state = State.READY;
            detachedAt = null;
            if (detachTimer != null) {
                detachTimer.cancel(false);
                detachTimer = null;
            }
            client.sendReady(id);
            client.sendReplay(buffer.snapshot());
        }
        if (previous != null) {
            previous.close(ChannelClose.newBuilder().setReason("the session was attached from another client").build());
        }
        if (newCols > 0 && newRows > 0) {
            resize(newCols, newRows);
        }
        return true;
    }

    /** The client's stream ended; the process lives on for the detach timeout. */
    void detach(ChannelStream client) {
        synchronized (this) {
            if (attached != client) {
                return;
            }
            attached = null;
            if (state != State.READY) {
                return;
            }
            state = State.DETACHED;
            detachedAt = clock.instant();
            detachTimer = scheduler.schedule(
                    () -> close("no client re-attached within " + detachTimeout.toSeconds() + "s"),
                    detachTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("terminal session {} in workspace {} detached; kept for {}s", id, workspaceId, detachTimeout.toSeconds());
    }

    /** Ends the process; the client, if any, is told {@code reason}. */
    void close(String reason) {
        synchronized (this) {
            if (state == State.CLOSING || state == State.DONE) {
                return;
            }
            state = State.CLOSING;
            ending = true;
            closeReason = reason;
            if (detachTimer != null) {
                detachTimer.cancel(false);
            }
        }
        log.info("closing terminal session {} in workspace {}: {}", id, workspaceId, reason);
        // The reader then sees the end of output and finishes the session.
        process.close();
    }

    boolean ending() {
        return ending;
    }

    /**
     * Keystrokes, as far as the terminal takes them without blocking: the count written, or -1
     * when it cannot tell (see {@link TerminalProcess#writeNow}). Called on the transport's thread.
     */
    int writeNow(byte[] bytes, int offset, int length) throws IOException {
        return process.writeNow(bytes, offset, length);
    }

    /** Keystrokes; called on the attached client's writer thread, and may block. */
    void write(byte[] bytes) throws IOException {
        OutputStream in = process.input();
        in.write(bytes);
        in.flush();
    }

    void resize(int newCols, int newRows) {
        if (newCols <= 0 || newRows <= 0 || newCols > 10_000 || newRows > 10_000) {
            log.debug("terminal session {}: ignoring resize to {}x{}", id, newCols, newRows);
            return;
        }
        try {
            process.resize(newCols, newRows);
            synchronized (this) {
                cols = newCols;
                rows = newRows;
            }
        } catch (RuntimeException e) {
            // A failed resize leaves a usable terminal of the old size.
            log.warn("terminal session {}: resize to {}x{} failed: {}", id, newCols, newRows, e.toString());
        }
    }

    /**
     * The reader: runs on its own thread for the whole life of the process. It waits for output,
     * then for the client's credit, and then takes whatever more output is ready into the same
     * frame: a process that writes fast fills frames, a keystroke's echo leaves at once.
     */
    void pump() {
        // As large as the largest frame a gateway may take (1.5); a client whose gateway takes less gets it split.
        byte[] frame = new byte[ProtocolVersions.TERMINAL_MAX_FRAME_BYTES];
        try (InputStream output = process.output()) {
            CoalescingReader reader = new CoalescingReader(output);
            int n;
            while ((n = reader.awaitSome(frame)) >= 0) {
                ChannelStream client;
                synchronized (this) {
                    client = attached;
                }
                // A slow client slows this process, and only this one; a detached session reads on.
                if (client != null) {
                    client.awaitCredit(this::ending);
                }
                n = reader.gather(frame, n, client == null ? frame.length : client.maxFrameBytes());
                boolean kept = false;
                synchronized (this) {
                    buffer.write(frame, 0, n);
                    if (attached != null) {
                        // Sent without a copy; an array the frames still refer to is theirs.
                        kept = !attached.sendOwned(frame, n);
                    }
                }
                if (kept) {
                    frame = new byte[ProtocolVersions.TERMINAL_MAX_FRAME_BYTES];
                }
            }
        } catch (IOException e) {
            // Linux answers EIO on the PTY master once the process side is gone: the normal end.
            log.debug("terminal session {}: output ended: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("terminal session {} in workspace {}: reader failed", id, workspaceId, e);
        }
        finish();
    }

    private void finish() {
        OptionalInt exit = OptionalInt.empty();
        try {
            exit = process.waitFor(EXIT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChannelStream client;
        ChannelClose.Builder close = ChannelClose.newBuilder();
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            if (closeReason != null) {
                close.setReason(closeReason);
            } else if (exit.isPresent()) {
                close.setExited(true).setExitCode(exit.getAsInt()).setReason("exited with status " + exit.getAsInt());
            } else {
                close.setReason("the terminal ended");
            }
            state = State.DONE;
            ending = true;
            if (detachTimer != null) {
                detachTimer.cancel(false);
            }
            client = attached;
            attached = null;
        }
        process.close();
        if (client != null) {
            client.close(close.build());
        }
        log.info("terminal session {} in workspace {} done: {}", id, workspaceId, close.getReason());
        onDone.accept(this);
    }

    synchronized TerminalSessionInfo info() {
        return TerminalSessionInfo.newBuilder()
                .setSessionId(id)
                .setWorkspaceId(workspaceId)
                .setUser(user)
                .setCommand(command)
                .setState(switch (state) {
                    case STARTING -> TerminalSessionState.TERMINAL_SESSION_STATE_STARTING;
                    case READY -> TerminalSessionState.TERMINAL_SESSION_STATE_READY;
                    case DETACHED -> TerminalSessionState.TERMINAL_SESSION_STATE_DETACHED;
                    case CLOSING -> TerminalSessionState.TERMINAL_SESSION_STATE_CLOSING;
                    case DONE -> TerminalSessionState.TERMINAL_SESSION_STATE_DONE;
                })
                .setCreatedAtEpochMillis(createdAt.toEpochMilli())
                .setDetachedAtEpochMillis(detachedAt == null ? 0 : detachedAt.toEpochMilli())
                .setCols(cols)
                .setRows(rows)
                .build();
    }
}
