package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Heartbeat;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.Welcome;
import dev.rdeportal.proto.v1.WorkspaceReport;
import dev.rdeportal.proto.v1.WorkspaceState;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One life of the control stream, forward only:
 * <pre>
 *   CONNECTING -> AWAITING_WELCOME -> READY -> CLOSING -> DONE
 *        \______________\______________\_________________/  (any stream error or end)
 * </pre>
 * Hello goes out first; heartbeats start once Welcome names their interval. Inbound messages are
 * requested one at a time (handling them only queues work), outbound ones go through a bounded
 * queue that respects transport readiness.
 */
final class ControlSession implements ClientResponseObserver<AgentMessage, GatewayMessage> {

    enum State { CONNECTING, AWAITING_WELCOME, READY, CLOSING, DONE }

    /**
     * How the stream ended.
     *
     * @param welcomed the gateway accepted the agent on this stream (Welcome arrived)
     * @param status   OK only for a stream the agent closed itself
     */
    record Ended(boolean welcomed, Status status) {
    }

    private static final Logger log = LoggerFactory.getLogger("rde.agent.tunnel.control");

    private final TunnelConfig config;
    private final Hello hello;
    private final OperationDispatcher dispatcher;
    private final ChannelHandler channelHandler;
    private final Channel gateway;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CompletableFuture<Ended> ended = new CompletableFuture<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
    private volatile ClientCallStreamObserver<AgentMessage> requestStream;
    private volatile OutboundQueue<AgentMessage> outbound;
    private volatile ScheduledFuture<?> heartbeats;
    private volatile boolean welcomed;
    private volatile Status abortStatus;
    private volatile long lastGatewayHeartbeatMillis;

    ControlSession(TunnelConfig config, Hello hello, OperationDispatcher dispatcher, ChannelHandler channelHandler,
                   Channel gateway, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.hello = hello;
        this.dispatcher = dispatcher;
        this.channelHandler = channelHandler;
        this.gateway = gateway;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Opens the stream and sends Hello; the future completes when the stream is over. */
    CompletableFuture<Ended> start() {
        AgentTunnelGrpc.newStub(gateway).control(this);
        // beforeStart() ran inside control(): the outbound queue exists now, and the call started.
        outbound.started();
        if (state.compareAndSet(State.CONNECTING, State.AWAITING_WELCOME)) {
            send(AgentMessage.newBuilder().setHello(hello).build());
        } else {
            outbound.finish(); // closed before it started: end the stream right away
        }
        return ended;
    }

    State state() {
        return state.get();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> stream) {
        requestStream = stream;
        outbound = new OutboundQueue<>(stream, config.outboundCapacity());
        stream.disableAutoRequestWithInitial(1);
        stream.setOnReadyHandler(() -> outbound.drain());
    }

    @Override
    public void onNext(GatewayMessage message) {
        try {
            switch (message.getBodyCase()) {
                case WELCOME -> welcome(message.getWelcome());
                case OPERATION -> dispatcher.submit(message.getOperation(), this::sendResult);
                case HEARTBEAT -> lastGatewayHeartbeatMillis = clock.millis();
                case OPEN_CHANNEL -> channelHandler.open(message.getOpenChannel(), gateway,
                        refused -> send(AgentMessage.newBuilder().setChannelRefused(refused).build()));
                case LIST_TERMINAL_SESSIONS -> send(AgentMessage.newBuilder()
                        .setTerminalSessions(channelHandler.list(message.getListTerminalSessions())).build());
                case CLOSE_TERMINAL_SESSION -> send(AgentMessage.newBuilder()
                        .setTerminalSessionClosed(channelHandler.close(message.getCloseTerminalSession())).build());
                default -> log.debug("ignoring gateway message {}", message.getBodyCase());
            }
        } catch (RuntimeException e) {
            log.error("handling gateway message {} failed", message.getBodyCase(), e);
        } finally {
            requestStream.request(1);
        }
    }

    private void welcome(Welcome welcome) {
        if (!ProtocolVersions.supported(welcome.getVersion())) {
            abort(Status.FAILED_PRECONDITION.withDescription("gateway speaks protocol "
                    + ProtocolVersions.format(welcome.getVersion()) + ", this agent "
                    + ProtocolVersions.format(ProtocolVersions.current())));
            return;
        }
        if (!state.compareAndSet(State.AWAITING_WELCOME, State.READY)) {
            return;
        }
        welcomed = true;
        long intervalMillis = welcome.getHeartbeatIntervalSeconds() > 0
                ? Duration.ofSeconds(welcome.getHeartbeatIntervalSeconds()).toMillis()
                : config.defaultHeartbeat().toMillis();
        heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        log.info("connected to gateway {} (protocol {}, heartbeat every {} ms)", config.gateway(),
                ProtocolVersions.format(welcome.getVersion()), intervalMillis);
        try {
            channelHandler.connected(gateway, welcome.getVersion().getMinor());
        } catch (RuntimeException e) {
            log.warn("channel handler failed on connect: {}", e.toString());
        }
    }

    private void heartbeat() {
        send(AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentAtEpochMillis(clock.millis()))
                .build());
    }

    void sendResult(OperationResult result) {
        send(AgentMessage.newBuilder().setOperationResult(result).build());
    }

    /** Unsolicited changes only make sense to a gateway that has welcomed us; Hello covers the rest. */
    void report(WorkspaceState workspace) {
        if (state.get() == State.READY) {
            send(AgentMessage.newBuilder().setWorkspaceReport(WorkspaceReport.newBuilder().setState(workspace)).build());
        }
    }

    private void send(AgentMessage message) {
        OutboundQueue<AgentMessage> queue = outbound;
        if (queue == null || queue.offer(message)) {
            return;
        }
        State now = state.get();
        if (now != State.DONE && now != State.CLOSING) {
            abort(Status.RESOURCE_EXHAUSTED.withDescription("outbound queue full (" + config.outboundCapacity()
                    + " messages): the gateway is not reading the control stream"));
        }
    }

    /** Graceful: pending messages go out, then the agent's side of the stream is closed. */
    void close() {
        State before = state.getAndUpdate(s -> s == State.DONE ? s : State.CLOSING);
        if (before == State.DONE) {
            return;
        }
        stopHeartbeats();
        OutboundQueue<AgentMessage> queue = outbound;
        if (queue != null) {
            queue.finish();
        }
    }

    /** Hard: the stream is cancelled and ends with {@code status}. */
    void abort(Status status) {
        abortStatus = status;
        ClientCallStreamObserver<AgentMessage> stream = requestStream;
        if (stream != null) {
            stream.cancel(status.getDescription(), status.asRuntimeException());
        }
    }

    @Override
    public void onError(Throwable error) {
        Status status = abortStatus != null ? abortStatus : Status.fromThrowable(error);
        end(status);
    }

    @Override
    public void onCompleted() {
        end(state.get() == State.CLOSING
                ? Status.OK
                : Status.UNAVAILABLE.withDescription("gateway ended the control stream"));
    }

    private void end(Status status) {
        State before = state.getAndSet(State.DONE);
        if (welcomed && before != State.DONE) {
            try {
                channelHandler.disconnected();
            } catch (RuntimeException e) {
                log.warn("channel handler failed on disconnect: {}", e.toString());
            }
        }
        stopHeartbeats();
        OutboundQueue<AgentMessage> queue = outbound;
        if (queue != null) {
            queue.discard();
        }
        ended.complete(new Ended(welcomed, status));
    }

    private void stopHeartbeats() {
        ScheduledFuture<?> scheduled = heartbeats;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
