package dev.rdeportal.gateway.channel;

import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.CloseTerminalSession;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.ListTerminalSessions;
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.TerminalSessionInfo;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs a client (a browser's WebSocket) with the agent's {@code Channel} stream for it, and asks
 * agents about their terminal sessions. See the package documentation for the picture.
 *
 * <p>A channel request waits at most {@code openTimeout} for the agent to dial back. Only the
 * agent that was asked may answer: a channel id is matched together with the agent id of the
 * stream's credential, so one agent cannot take over another's channel.
 */
public final class ChannelBroker {

    /**
     * 1.5: spare preview streams the gateway keeps idle per agent; one beyond is refused
     * ({@code RESOURCE_EXHAUSTED}), so an agent cannot make the gateway hold streams without end.
     */
    public static final int MAX_SPARES_PER_AGENT = 32;

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.channel");

    private final Function<String, Optional<? extends AgentLink>> agents;
    private final Duration openTimeout;
    private final Duration callTimeout;
    private final Supplier<String> ids;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    // 1.5: idle spare preview streams by agent id, oldest first (taken newest first). Guarded by each deque.
    private final Map<String, ArrayDeque<AgentChannel>> spares = new ConcurrentHashMap<>();
    private final AgentChannel.Spares sparePool = new SparePool();
    private final AtomicInteger openChannels = new AtomicInteger();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter previewsOnSpares;
    private final Counter previewsAsked;

    private record Pending(String agentId, CompletableFuture<AgentChannel> channel) {
    }

    private record Reply(String agentId, CompletableFuture<AgentMessage> answer) {
    }

    /**
     * @param agents      the connected agent of a cluster, if any
     * @param openTimeout how long a channel request waits for the agent to dial back
     * @param callTimeout how long a question about sessions waits for the agent's answer
     */
    public ChannelBroker(MeterRegistry meters, Function<String, Optional<? extends AgentLink>> agents,
                         Duration openTimeout, Duration callTimeout, Supplier<String> ids) {
        this.agents = agents;
        this.openTimeout = openTimeout;
        this.callTimeout = callTimeout;
        this.ids = ids;
        Gauge.builder("rde.tunnel.channels.open", openChannels, AtomicInteger::get)
                .description("terminal and preview channels currently relayed")
                .register(meters);
        // "in" flows into the workspace (keystrokes), "out" comes out of it (what the terminal shows).
        bytesIn = Counter.builder("rde.tunnel.bytes").description("bytes relayed through channels")
                .tag("direction", "in").tag("kind", "terminal").baseUnit("bytes").register(meters);
        previewsOnSpares = Counter.builder("rde.tunnel.preview.opens").description("preview channels opened")
                .tag("via", "spare").register(meters);
        previewsAsked = Counter.builder("rde.tunnel.preview.opens").description("preview channels opened")
                .tag("via", "control").register(meters);
        bytesOut = Counter.builder("rde.tunnel.bytes").description("bytes relayed through channels")
                .tag("direction", "out").tag("kind", "terminal").baseUnit("bytes").register(meters);
    }

    /** Channels currently relayed. */
    public int openChannels() {
        return openChannels.get();
    }

    /** Counts terminal bytes: {@code toWorkspace} for keystrokes, else output. */
    public void countTerminalBytes(boolean toWorkspace, int bytes) {
        (toWorkspace ? bytesIn : bytesOut).increment(bytes);
    }

    // ---- opening a channel -----------------------------------------------------------------

    /**
     * Asks the cluster's agent to open a terminal channel. Completes with the channel once the
     * agent dialed it, or with a {@link ChannelUnavailableException} saying why not.
     */
    public CompletableFuture<AgentChannel> openTerminal(String clusterId, String workspaceId, String user,
                                                        String command, int cols, int rows, String sessionId) {
        return open(clusterId, 1, "terminals", OpenChannel.newBuilder()
                .setWorkspaceId(workspaceId)
                .setKind(ChannelKind.CHANNEL_KIND_TERMINAL)
                .setCommand(command == null ? "" : command)
                .setCols(Math.max(cols, 0))
                .setRows(Math.max(rows, 0))
                .setSessionId(sessionId == null ? "" : sessionId)
                .setUser(user));
    }

    /**
     * Asks the cluster's agent to open a preview channel for one HTTP request (or WebSocket) to a
     * workspace port (protocol 1.3).
     */
    public CompletableFuture<AgentChannel> openPreview(String clusterId, String workspaceId, String user, int port,
                                                       HttpRequestHead request) {
        return openPreview(clusterId, workspaceId, user, port, request, false);
    }

    /**
     * Like {@link #openPreview(String, String, String, int, HttpRequestHead)}; {@code bodiless}: the
     * request has no body, so on a spare its End goes out with it (see {@link AgentChannel#claim(OpenChannel, boolean)}).
     */
    public CompletableFuture<AgentChannel> openPreview(String clusterId, String workspaceId, String user, int port,
                                                       HttpRequestHead request, boolean bodiless) {
        return openPreviewChannel(clusterId, 3, "previews", bodiless, OpenChannel.newBuilder()
                .setWorkspaceId(workspaceId)
                .setKind(ChannelKind.CHANNEL_KIND_PREVIEW)
                .setPort(port)
                .setUser(user)
                .setHttp(request));
    }

    /** 1.4: a preview channel to the app published under {@code publishId}, on its agent. */
    public CompletableFuture<AgentChannel> openPublished(String clusterId, String publishId, String user,
                                                         HttpRequestHead request) {
        return openPublished(clusterId, publishId, user, request, false);
    }

    /** Like {@link #openPublished(String, String, String, HttpRequestHead)}, {@code bodiless} as for previews. */
    public CompletableFuture<AgentChannel> openPublished(String clusterId, String publishId, String user,
                                                         HttpRequestHead request, boolean bodiless) {
        return openPreviewChannel(clusterId, 4, "published apps", bodiless, OpenChannel.newBuilder()
                .setWorkspaceId(publishId)
                .setPublishId(publishId)
                .setKind(ChannelKind.CHANNEL_KIND_PREVIEW)
                .setUser(user)
                .setHttp(request));
    }

    /**
     * A preview channel on one of the agent's spare streams if it speaks 1.5 and has one idle,
     * else (or if the spare is lost before the agent answers) asked for on the control stream.
     */
    private CompletableFuture<AgentChannel> openPreviewChannel(String clusterId, int minMinor, String what,
                                                               boolean bodiless, OpenChannel.Builder request) {
        Optional<? extends AgentLink> agent = agents.apply(clusterId);
        if (agent.isEmpty() || agent.get().protocolMinor() < ProtocolVersions.SPARE_PREVIEW_MINOR) {
            previewsAsked.increment();
            return open(clusterId, minMinor, what, request);
        }
        AgentLink link = agent.get();
        ArrayDeque<AgentChannel> idle = spares.get(link.agentId());
        while (idle != null) {
            AgentChannel spare;
            synchronized (idle) {
                // Newest first: after a reconnect, the spares of the agent's current connection.
                spare = idle.pollLast();
            }
            if (spare == null) {
                break;
            }
            String channelId = ids.get();
            CompletableFuture<AgentChannel> claimed = spare.claim(request.setChannelId(channelId).build(), bodiless);
            if (claimed == null) {
                continue; // ended meanwhile
            }
            previewsOnSpares.increment();
            ChannelTimeouts.within(claimed, openTimeout).whenComplete((c, e) -> {
                if (e != null && unwrap(e) instanceof TimeoutException) {
                    spare.fail(Status.DEADLINE_EXCEEDED.withDescription("no answer to preview " + channelId));
                }
            });
            return claimed.handle((c, e) -> {
                if (e == null) {
                    return CompletableFuture.completedFuture(c);
                }
                Throwable cause = unwrap(e);
                if (cause instanceof AgentChannel.SpareLost) {
                    previewsAsked.increment();
                    return open(clusterId, minMinor, what, request);
                }
                if (cause instanceof TimeoutException) {
                    return CompletableFuture.<AgentChannel>failedFuture(
                            notOpenedInTime(link.agentId(), channelId, request.getWorkspaceId()));
                }
                return CompletableFuture.<AgentChannel>failedFuture(cause);
            }).thenCompose(Function.identity());
        }
        previewsAsked.increment();
        return open(clusterId, minMinor, what, request);
    }

    /** 1.5: idle spare preview streams of an agent (for tests and metrics). */
    public int spares(String agentId) {
        ArrayDeque<AgentChannel> idle = spares.get(agentId);
        if (idle == null) {
            return 0;
        }
        synchronized (idle) {
            return idle.size();
        }
    }

    private final class SparePool implements AgentChannel.Spares {

        @Override
        public boolean idle(AgentChannel channel) {
            ArrayDeque<AgentChannel> idle = spares.computeIfAbsent(channel.agentId(), id -> new ArrayDeque<>());
            synchronized (idle) {
                if (idle.size() >= MAX_SPARES_PER_AGENT) {
                    log.warn("agent {} dialled more than {} spare preview streams; refused one", channel.agentId(),
                            MAX_SPARES_PER_AGENT);
                    return false;
                }
                idle.addLast(channel);
                return true;
            }
        }

        @Override
        public void gone(AgentChannel channel) {
            ArrayDeque<AgentChannel> idle = spares.get(channel.agentId());
            if (idle != null) {
                synchronized (idle) {
                    idle.remove(channel);
                }
            }
        }

        @Override
        public void accepted(AgentChannel channel) {
            openChannels.incrementAndGet();
        }
    }

    private CompletableFuture<AgentChannel> open(String clusterId, int minMinor, String what, OpenChannel.Builder request) {
        Optional<? extends AgentLink> agent = agents.apply(clusterId);
        if (agent.isEmpty()) {
            return CompletableFuture.failedFuture(ChannelUnavailableException.noAgent());
        }
        AgentLink link = agent.get();
        if (link.protocolMinor() < minMinor) {
            return CompletableFuture.failedFuture(new ChannelUnavailableException(
                    "the workspace's agent is too old for " + what + " (protocol 1." + link.protocolMinor() + ")"));
        }
        if (request.getKind() == ChannelKind.CHANNEL_KIND_TERMINAL
                && link.protocolMinor() >= ProtocolVersions.TERMINAL_FRAME_MINOR) {
            // 1.5: output in frames of up to 64 KiB; older agents do not know the field and keep 16 KiB.
            request.setMaxFrameBytes(ProtocolVersions.TERMINAL_MAX_FRAME_BYTES);
        }
        String channelId = ids.get();
        String workspaceId = request.getWorkspaceId();
        CompletableFuture<AgentChannel> channel = new CompletableFuture<>();
        pending.put(channelId, new Pending(link.agentId(), channel));
        ChannelTimeouts.within(channel, openTimeout)
                .whenComplete((c, e) -> pending.remove(channelId));
        if (!link.deliver(GatewayMessage.newBuilder().setOpenChannel(request.setChannelId(channelId)).build())) {
            channel.completeExceptionally(ChannelUnavailableException.noAgent());
        }
        return channel.handle((c, e) -> {
            if (e == null) {
                return c;
            }
            Throwable cause = unwrap(e);
            if (cause instanceof TimeoutException) {
                throw notOpenedInTime(link.agentId(), channelId, workspaceId);
            }
            throw cause instanceof RuntimeException r ? r : new ChannelUnavailableException(cause.toString());
        });
    }

    /** What the client is told, and the log says, when an agent let a channel request time out. */
    private ChannelUnavailableException notOpenedInTime(String agentId, String channelId, String workspaceId) {
        log.warn("agent {} did not open channel {} for workspace {} within {}s", agentId, channelId, workspaceId,
                openTimeout.toSeconds());
        return new ChannelUnavailableException("the agent did not open the channel within " + openTimeout.toSeconds() + "s");
    }

    /** An agent dialed a channel stream; the first frame names the channel it answers. */
    public StreamObserver<ChannelFrame> accept(String agentId, ServerCallStreamObserver<ChannelFrame> toAgent) {
        AgentChannel channel = new AgentChannel(agentId, toAgent, this::match, sparePool, openChannels::decrementAndGet);
        channel.start();
        return channel;
    }

    private boolean match(String agentId, String channelId, AgentChannel channel) {
        Pending waiting = pending.get(channelId);
        if (waiting == null || !waiting.agentId().equals(agentId)) {
            log.warn("agent {} dialed channel {}, which no request of it is waiting for", agentId, channelId);
            return false;
        }
        pending.remove(channelId, waiting);
        // Counted before completing: the relay may end the channel (and uncount it) at once.
        openChannels.incrementAndGet();
        if (!waiting.channel().complete(channel)) {
            openChannels.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The agent could not open a channel the gateway asked for: the client is told its reason. */
    public void refused(String agentId, ChannelRefused refused) {
        Pending waiting = pending.get(refused.getChannelId());
        if (waiting == null || !waiting.agentId().equals(agentId)) {
            return;
        }
        log.info("agent {} refused channel {}: {}", agentId, refused.getChannelId(), refused.getReason());
        waiting.channel().completeExceptionally(new ChannelUnavailableException(refused.getReason()));
    }

    // ---- questions about terminal sessions ---------------------------------------------------

    /** The user's terminal sessions in a workspace, as the cluster's agent knows them. */
    public CompletableFuture<List<TerminalSessionInfo>> terminalSessions(String clusterId, String workspaceId, String user) {
        String requestId = ids.get();
        return ask(clusterId, requestId, GatewayMessage.newBuilder().setListTerminalSessions(ListTerminalSessions.newBuilder()
                        .setRequestId(requestId).setWorkspaceId(workspaceId).setUser(user)).build())
                .thenApply(answer -> answer.getTerminalSessions().getSessionsList());
    }

    /** Closes one of the user's sessions; false when there is no such session. */
    public CompletableFuture<Boolean> closeTerminalSession(String clusterId, String workspaceId, String user,
                                                           String sessionId) {
        String requestId = ids.get();
        return ask(clusterId, requestId, GatewayMessage.newBuilder().setCloseTerminalSession(CloseTerminalSession.newBuilder()
                        .setRequestId(requestId).setWorkspaceId(workspaceId).setUser(user).setSessionId(sessionId)).build())
                .thenApply(answer -> answer.getTerminalSessionClosed().getFound());
    }

    private CompletableFuture<AgentMessage> ask(String clusterId, String requestId, GatewayMessage question) {
        Optional<? extends AgentLink> agent = agents.apply(clusterId);
        if (agent.isEmpty()) {
            return CompletableFuture.failedFuture(ChannelUnavailableException.noAgent());
        }
        if (agent.get().protocolMinor() < 1) {
            return CompletableFuture.failedFuture(new ChannelUnavailableException(
                    "the workspace's agent is too old for terminal sessions"));
        }
        CompletableFuture<AgentMessage> answer = new CompletableFuture<>();
        replies.put(requestId, new Reply(agent.get().agentId(), answer));
        answer.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, e) -> replies.remove(requestId));
        if (!agent.get().deliver(question)) {
            answer.completeExceptionally(ChannelUnavailableException.noAgent());
        }
        return answer.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                unwrap(e) instanceof TimeoutException
                        ? new ChannelUnavailableException("the workspace's agent did not answer in time")
                        : unwrap(e)));
    }

    /** An answer to a question about sessions; accepted only from the agent that was asked. */
    public void answered(String agentId, AgentMessage message) {
        String requestId = switch (message.getBodyCase()) {
            case TERMINAL_SESSIONS -> message.getTerminalSessions().getRequestId();
            case TERMINAL_SESSION_CLOSED -> message.getTerminalSessionClosed().getRequestId();
            default -> "";
        };
        Reply waiting = replies.get(requestId);
        if (waiting != null && waiting.agentId().equals(agentId)) {
            waiting.answer().complete(message);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
