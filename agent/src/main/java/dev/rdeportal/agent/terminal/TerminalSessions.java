package dev.rdeportal.agent.terminal;

import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.tunnel.ChannelHandler;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.CloseTerminalSession;
import dev.rdeportal.proto.v1.ListTerminalSessions;
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.TerminalSessionClosed;
import dev.rdeportal.proto.v1.TerminalSessions.Builder;
import io.grpc.Channel;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's terminal sessions, keyed by session id, and how the gateway reaches them: it serves
 * "open channel" requests (a new session, or a re-attach to one), lists and closes a user's
 * sessions, and ends a workspace's sessions when the workspace stops.
 *
 * <p>A session belongs to the user who opened it: another user's re-attach, list or close finds
 * nothing, exactly as for an id that never existed.
 */
public final class TerminalSessions implements ChannelHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.terminal");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int DEFAULT_COLS = 80;
    private static final int DEFAULT_ROWS = 24;

    private final TerminalConfig config;
    private final WorkspaceRuntime runtime;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService threads;
    private final Supplier<String> ids;
    private final ConcurrentMap<String, TerminalSession> sessions = new ConcurrentHashMap<>();
    private final boolean serialisingTransport;

    TerminalSessions(TerminalConfig config, WorkspaceRuntime runtime, Clock clock, ScheduledExecutorService scheduler,
                     ExecutorService threads, Supplier<String> ids) {
        this(config, runtime, clock, scheduler, threads, ids, false);
    }

    /**
     * @param serialisingTransport whether the gateway is dialled over a transport that serialises a
     *                             message when it is handed over (Netty, as the agent dials), so a
     *                             frame that left at once no longer refers to the reader's array and
     *                             the reader may read into it again; the in-process transport of
     *                             tests passes the message object itself, and then every frame keeps
     *                             an array of its own
     */
    TerminalSessions(TerminalConfig config, WorkspaceRuntime runtime, Clock clock, ScheduledExecutorService scheduler,
                     ExecutorService threads, Supplier<String> ids, boolean serialisingTransport) {
        this.serialisingTransport = serialisingTransport;
        this.config = config;
        this.runtime = runtime;
        this.clock = clock;
        this.scheduler = scheduler;
        this.threads = threads;
        this.ids = ids;
    }

    /**
     * The production wiring: system clock, random session ids, daemon threads (a reader per
     * session, a writer per attached client; sessions are capped, so threads are too). Listens to
     * the runtime, so a workspace that stops on its own ends its sessions as well. The agent dials
     * the gateway over Netty (TLS), which serialises what it is handed.
     */
    public static TerminalSessions create(TerminalConfig config, WorkspaceRuntime runtime) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rde-terminal-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-terminal-timers");
            t.setDaemon(true);
            return t;
        });
        TerminalSessions sessions = new TerminalSessions(config, runtime, Clock.systemUTC(), scheduler, threads,
                TerminalSessions::newId, true);
        runtime.onChange(state -> {
            if (state.phase() != WorkspacePhase.RUNNING) {
                sessions.workspaceEnded(state.workspaceId(), "workspace stopped");
            }
        });
        return sessions;
    }

    static String newId() {
        StringBuilder id = new StringBuilder("ts-");
        for (int i = 0; i < 20; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    @Override
    public void open(OpenChannel request, Channel gateway, Consumer<ChannelRefused> refuse) {
        try {
            // Starting a process and dialing may take a moment: never on the control stream's thread.
            threads.execute(() -> openNow(request, gateway, reason -> refuse.accept(ChannelRefused.newBuilder()
                    .setChannelId(request.getChannelId()).setReason(reason).build())));
        } catch (RejectedExecutionException e) {
            refuse.accept(ChannelRefused.newBuilder().setChannelId(request.getChannelId())
                    .setReason("agent is shutting down").build());
        }
    }

    private void openNow(OpenChannel request, Channel gateway, Consumer<String> refuse) {
        String workspaceId = request.getWorkspaceId();
        if (request.getKind() != ChannelKind.CHANNEL_KIND_TERMINAL) {
            refuse.accept("this agent serves terminal channels only");
            return;
        }
        if (request.getUser().isBlank()) {
            refuse.accept("terminal request names no user");
            return;
        }
        TerminalSession session;
        if (request.getSessionId().isBlank()) {
            try {
                session = start(request);
            } catch (RuntimeException e) {
                log.warn("terminal in workspace {} refused: {}", workspaceId, e.getMessage());
                refuse.accept(e.getMessage());
                return;
            }
        } else {
            Optional<TerminalSession> found = find(workspaceId, request.getUser(), request.getSessionId());
            if (found.isEmpty()) {
                refuse.accept("no such terminal session");
                return;
            }
            session = found.get();
        }
        ChannelStream stream = new ChannelStream(request.getChannelId(), session, threads, config.bufferBytes(),
                ProtocolVersions.terminalFrameBytes(request.getMaxFrameBytes()), serialisingTransport);
        stream.dial(gateway);
        if (!session.attach(stream, (int) request.getCols(), (int) request.getRows())) {
            stream.close(dev.rdeportal.proto.v1.ChannelClose.newBuilder().setReason("the terminal session has ended").build());
        }
    }

    private TerminalSession start(OpenChannel request) {
        if (sessions.size() >= config.maxSessions()) {
            throw new IllegalStateException("this agent has " + config.maxSessions() + " terminal sessions already");
        }
        int cols = request.getCols() > 0 ? (int) request.getCols() : DEFAULT_COLS;
        int rows = request.getRows() > 0 ? (int) request.getRows() : DEFAULT_ROWS;
        TerminalProcess process = runtime.openTerminal(request.getWorkspaceId(), request.getCommand(), cols, rows);
        TerminalSession session = new TerminalSession(ids.get(), request.getWorkspaceId(), request.getUser(),
                request.getCommand(), process, cols, rows, config, clock, scheduler, done -> sessions.remove(done.id, done));
        sessions.put(session.id, session);
        try {
            threads.execute(session::pump);
        } catch (RejectedExecutionException e) {
            sessions.remove(session.id);
            process.close();
            throw new IllegalStateException("agent is shutting down");
        }
        log.info("terminal session {} started in workspace {} for {}{}", session.id, session.workspaceId, session.user,
                session.command.isBlank() ? "" : " (command)");
        return session;
    }

    private Optional<TerminalSession> find(String workspaceId, String user, String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId))
                .filter(s -> s.workspaceId.equals(workspaceId) && s.user.equals(user) && !s.ending());
    }

    @Override
    public dev.rdeportal.proto.v1.TerminalSessions list(ListTerminalSessions request) {
        Builder answer = dev.rdeportal.proto.v1.TerminalSessions.newBuilder().setRequestId(request.getRequestId());
        sessions.values().stream()
                .filter(s -> s.workspaceId.equals(request.getWorkspaceId()) && s.user.equals(request.getUser()))
                .sorted(Comparator.comparing(s -> s.createdAt))
                .forEach(s -> answer.addSessions(s.info()));
        return answer.build();
    }

    @Override
    public TerminalSessionClosed close(CloseTerminalSession request) {
        Optional<TerminalSession> found = find(request.getWorkspaceId(), request.getUser(), request.getSessionId());
        found.ifPresent(s -> s.close("closed by the user"));
        return TerminalSessionClosed.newBuilder().setRequestId(request.getRequestId()).setFound(found.isPresent()).build();
    }

    @Override
    public void workspaceEnded(String workspaceId, String reason) {
        List<TerminalSession> ending = sessions.values().stream().filter(s -> s.workspaceId.equals(workspaceId)).toList();
        ending.forEach(s -> s.close(reason));
    }

    /** Sessions currently kept (tests, diagnostics). */
    int size() {
        return sessions.size();
    }

    /** Agent shutdown: the shells end with it. */
    @Override
    public void close() {
        List.copyOf(sessions.values()).forEach(s -> s.close("agent shutting down"));
        scheduler.shutdownNow();
        threads.shutdown();
    }
}
