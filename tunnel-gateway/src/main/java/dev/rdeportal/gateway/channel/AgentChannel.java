package dev.rdeportal.gateway.channel;

import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The gateway's end of one {@code Channel} stream, as a forward-only state machine
 * {@code AWAITING_OPEN → OPEN → DONE}, or (1.5, a spare preview stream the agent dialled ahead)
 * {@code AWAITING_OPEN → SPARE → CLAIMED → OPEN → DONE}: idle in the broker's pool until one
 * request {@link #claim}s it, which sends the request as the stream's first frame; the agent's
 * {@code ChannelOpen} naming that request's channel id accepts it, a {@code ChannelClose} refuses.
 * A spare is claimed at most once, so a stream never carries two requests.
 *
 * <p>Flow control is credit-based (see {@code Ack} in tunnel.proto) on top of gRPC's manual flow
 * control:
 * <ul>
 *   <li>agent → client: every frame is taken off the stream at once ({@code request(1)} per frame),
 *       so this stream never holds the HTTP/2 connection window the agent's other channels share;
 *       the agent's credit bounds what waits in {@link #frames()}. The relay {@link #acknowledge}s
 *       a frame once the client's socket has taken it, which is what lets the agent send more.</li>
 *   <li>client → agent: {@link #forward} requests one frame at a time from the client, and only
 *       while the agent's credit lasts and the outbound queue is short; frames leave only while
 *       the stream is ready.</li>
 * </ul>
 * A slow client therefore slows its own terminal, and nothing else.
 *
 * <p>The stream's callbacks ({@link #onNext}, ready, cancel) normally run on the gRPC transport's
 * event loop, not on a call executor (see {@code AgentAuthenticator.getExecutor}), and so does
 * whatever the relays subscribed to {@link #frames()} do with a frame. Nothing here, nor there,
 * may block: they queue, count credit, and hand writes to Netty.
 */
public final class AgentChannel implements StreamObserver<ChannelFrame> {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.channel");

    /** Frames queued toward the agent before the client is asked for more. */
    static final int MAX_QUEUED_FRAMES = 64;
    // The agent's credit bounds data frames; a few control frames (ready, close) come on top.
    // Previews have the larger window (1.3); a linked queue grows only as frames actually wait, so an
    // idle terminal holds a few hundred bytes of it, not an array for the whole window.
    static final int MAX_BUFFERED_FRAMES = ProtocolVersions.PREVIEW_WINDOW_BYTES / 256 + 64;

    enum State { AWAITING_OPEN, SPARE, CLAIMED, OPEN, DONE }

    private final String agentId;
    private final ServerCallStreamObserver<ChannelFrame> call;
    private final Sinks.Many<ChannelFrame> inbound =
            Sinks.many().unicast().onBackpressureBuffer(Queues.<ChannelFrame>unbounded(32).get());
    private final AtomicInteger buffered = new AtomicInteger();
    private final ArrayDeque<ChannelFrame> outbound = new ArrayDeque<>();
    private final Matcher matcher;
    private final Spares spares;
    private final Runnable onEnd;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private static final ChannelFrame END_OF_REQUEST =
            ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build();

    // Guarded by this.
    private State state = State.AWAITING_OPEN;
    private boolean requestEnded;
    private String channelId;
    private long unackedToAgent;
    private Forwarder forwarder;
    private boolean matched;
    private CompletableFuture<AgentChannel> claim;

    /**
     * Matches the first frame's channel id to the request waiting for it; false if none is. Only
     * a matched channel's end is reported to {@code onEnd}.
     */
    interface Matcher {
        boolean match(String agentId, String channelId, AgentChannel channel);
    }

    /** 1.5: the pool of spare preview streams a channel joins when the agent names it a spare. */
    interface Spares {
        /** The stream is idle now; false if the agent already has as many spares as it may. */
        boolean idle(AgentChannel channel);

        /** The stream ended, claimed or not: it leaves the pool if it is still there. */
        void gone(AgentChannel channel);

        /** A claimed spare was accepted: it counts as an open channel from now on. */
        void accepted(AgentChannel channel);
    }

    /** Thrown (in the claim's future) when a claimed spare ended before the agent answered. */
    public static final class SpareLost extends RuntimeException {
        SpareLost() {
            super("the spare preview stream ended before the agent took the request", null, false, false);
        }
    }

    AgentChannel(String agentId, ServerCallStreamObserver<ChannelFrame> call, Matcher matcher, Runnable onEnd) {
        this(agentId, call, matcher, null, onEnd);
    }

    AgentChannel(String agentId, ServerCallStreamObserver<ChannelFrame> call, Matcher matcher, Spares spares,
                 Runnable onEnd) {
        this.agentId = agentId;
        this.call = call;
        this.matcher = matcher;
        this.spares = spares;
        this.onEnd = onEnd;
    }

    /** Hooks the call; must run before the rpc method returns. */
    void start() {
        call.disableAutoRequest();
        call.setOnReadyHandler(this::drain);
        call.setOnCancelHandler(() -> end(null));
        call.request(1);
    }

    public synchronized String channelId() {
        return channelId;
    }

    public String agentId() {
        return agentId;
    }

    /** Whether the request's End already went out with it ({@link #claim(OpenChannel, boolean)}). */
    public synchronized boolean requestEnded() {
        return requestEnded;
    }

    synchronized State state() {
        return state;
    }

    // ---- from the agent ----------------------------------------------------------------------

    @Override
    public void onNext(ChannelFrame frame) {
        State current = state();
        if (current == State.DONE) {
            return;
        }
        if (current == State.AWAITING_OPEN && frame.hasOpen() && frame.getOpen().getSpare()) {
            synchronized (this) {
                channelId = frame.getOpen().getChannelId();
                state = State.SPARE;
            }
            if (spares == null || !spares.idle(this)) {
                fail(Status.RESOURCE_EXHAUSTED.withDescription("no room for another spare preview stream of agent "
                        + agentId));
                return;
            }
            call.request(1);
            return;
        }
        if (current == State.SPARE) {
            // An idle spare has nothing to say until it was given a request.
            fail(Status.FAILED_PRECONDITION.withDescription("a spare preview stream sent "
                    + frame.getBodyCase() + " before it was given a request"));
            return;
        }
        if (current == State.CLAIMED) {
            accepted(frame);
            return;
        }
        if (current == State.AWAITING_OPEN) {
            String id = frame.hasOpen() ? frame.getOpen().getChannelId() : "";
            synchronized (this) {
                channelId = id;
                state = State.OPEN;
            }
            if (id.isEmpty() || !matcher.match(agentId, id, this)) {
                fail(Status.NOT_FOUND.withDescription(id.isEmpty()
                        ? "the first channel frame must be a ChannelOpen"
                        : "no channel " + id + " is waiting for agent " + agentId));
                return;
            }
            synchronized (this) {
                matched = true;
            }
            call.request(1);
            return;
        }
        if (frame.hasAck()) {
            synchronized (this) {
                unackedToAgent = Math.max(0, unackedToAgent - frame.getAck().getBytes());
            }
            pull();
        } else {
            Sinks.EmitResult result;
            synchronized (this) {
                if (buffered.incrementAndGet() > MAX_BUFFERED_FRAMES) {
                    result = Sinks.EmitResult.FAIL_OVERFLOW;
                } else {
                    result = inbound.tryEmitNext(frame);
                }
            }
            if (result.isFailure() && result != Sinks.EmitResult.FAIL_CANCELLED) {
                fail(Status.RESOURCE_EXHAUSTED.withDescription("agent sent beyond its credit"));
                return;
            }
        }
        call.request(1);
    }

    /**
     * 1.5: gives this spare its one request. Returns null if the spare cannot take it (already
     * claimed or ended); else a future that completes with this channel once the agent accepted
     * the request, or fails with a {@link ChannelUnavailableException} carrying the agent's reason,
     * or with {@link SpareLost} if the stream ended first.
     */
    public CompletableFuture<AgentChannel> claim(OpenChannel request) {
        return claim(request, false);
    }

    /**
     * Like {@link #claim(OpenChannel)}; with {@code bodiless}, the request's {@code End} goes out
     * right behind it, in the same write (a GET has no body to wait for): one message and one
     * wake-up of the agent fewer per request. The agent reads the stream in order, so the End
     * reaches the request it was given. {@link #requestEnded()} then says so to the relay.
     */
    public CompletableFuture<AgentChannel> claim(OpenChannel request, boolean bodiless) {
        CompletableFuture<AgentChannel> accepted = new CompletableFuture<>();
        synchronized (this) {
            if (state != State.SPARE) {
                return null;
            }
            state = State.CLAIMED;
            channelId = request.getChannelId();
            claim = accepted;
            outbound.add(ChannelFrame.newBuilder().setRequest(request).build());
            if (bodiless) {
                outbound.add(END_OF_REQUEST);
                requestEnded = true;
            }
        }
        if (spares != null) {
            spares.gone(this);
        }
        drain();
        return accepted;
    }

    /** The agent's answer to the request this spare was given. */
    private void accepted(ChannelFrame frame) {
        CompletableFuture<AgentChannel> waiting;
        boolean accept;
        synchronized (this) {
            waiting = claim;
            accept = frame.hasOpen() && frame.getOpen().getChannelId().equals(channelId);
            if (accept) {
                state = State.OPEN;
                matched = true;
            }
        }
        if (accept) {
            if (spares != null) {
                spares.accepted(this);
            }
            waiting.complete(this);
            call.request(1);
            return;
        }
        if (frame.hasClose()) {
            String reason = frame.getClose().getReason().isEmpty()
                    ? "the agent refused the preview" : frame.getClose().getReason();
            log.info("agent {} refused preview {} on a spare stream: {}", agentId, channelId, reason);
            waiting.completeExceptionally(new ChannelUnavailableException(reason));
            end(Status.OK);
            return;
        }
        waiting.completeExceptionally(new ChannelUnavailableException("the agent answered a preview request with "
                + frame.getBodyCase()));
        fail(Status.FAILED_PRECONDITION.withDescription("expected ChannelOpen for " + channelId + ", got "
                + frame.getBodyCase()));
    }

    @Override
    public void onError(Throwable t) {
        end(null);
    }

    @Override
    public void onCompleted() {
        // The agent ended its side (after a Close frame, normally): end ours too.
        end(Status.OK);
    }

    /**
     * What the agent sends: ready, data, close. Completes when the agent's stream ends; a stream
     * that ends without a close frame lost its agent. One subscriber.
     */
    public Flux<ChannelFrame> frames() {
        return inbound.asFlux().doOnNext(frame -> buffered.decrementAndGet());
    }

    /** The client has taken {@code frame}: the agent may send that much more. */
    public void acknowledge(ChannelFrame frame) {
        int cost = ProtocolVersions.frameCost(frame);
        if (cost > 0) {
            send(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes(cost)).build());
        }
    }

    /** The client has taken a data frame of {@code dataBytes}: the agent may send that much more. */
    public void acknowledge(int dataBytes) {
        send(ChannelFrame.newBuilder()
                .setAck(Ack.newBuilder().setBytes(ProtocolVersions.channelCost(dataBytes)))
                .build());
    }

    // ---- to the agent ------------------------------------------------------------------------

    /** Sends one frame to the agent outside of {@link #forward} (an End after the request body). */
    public void sendFrame(ChannelFrame frame) {
        send(frame);
    }

    /**
     * Sends the client's frames (data, resize) to the agent, pulling one at a time while the
     * credit lasts. Completes when {@code frames} completes; cancelling it stops pulling.
     */
    public Mono<Void> forward(Flux<ChannelFrame> frames) {
        return Mono.create(done -> {
            Forwarder f = new Forwarder(done::success, done::error);
            synchronized (this) {
                forwarder = f;
            }
            done.onCancel(f::dispose);
            frames.subscribe(f);
        });
    }

    private void send(ChannelFrame frame) {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            unackedToAgent += ProtocolVersions.frameCost(frame);
            outbound.add(frame);
        }
        drain();
    }

    /** On the transport's ready callback and after every send: writes while the stream is ready. */
    private void drain() {
        synchronized (this) {
            while ((state == State.OPEN || state == State.CLAIMED) && !outbound.isEmpty() && call.isReady()) {
                call.onNext(outbound.poll());
            }
        }
        pull();
    }

    private void pull() {
        Forwarder f;
        synchronized (this) {
            f = forwarder;
            if (f == null || state != State.OPEN || f.requested
                    || unackedToAgent >= ProtocolVersions.CHANNEL_WINDOW_BYTES || outbound.size() >= MAX_QUEUED_FRAMES) {
                return;
            }
            f.requested = true;
        }
        f.request(1);
    }

    private final class Forwarder extends BaseSubscriber<ChannelFrame> {

        private final Runnable completed;
        private final Consumer<Throwable> failed;
        private volatile boolean requested; // written under AgentChannel.this

        Forwarder(Runnable completed, Consumer<Throwable> failed) {
            this.completed = completed;
            this.failed = failed;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            pull();
        }

        @Override
        protected void hookOnNext(ChannelFrame frame) {
            synchronized (AgentChannel.this) {
                requested = false;
            }
            send(frame);
            pull();
        }

        @Override
        protected void hookOnComplete() {
            completed.run();
        }

        @Override
        protected void hookOnError(Throwable error) {
            failed.accept(error);
        }
    }

    // ---- end ---------------------------------------------------------------------------------

    /** The client left: the agent detaches (the terminal session lives on). */
    public void close() {
        end(Status.OK);
    }

    void fail(Status status) {
        end(status);
    }

    /** Completes once the stream is over. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** {@code status}: how to end our side; null when the call is already gone. */
    private void end(Status status) {
        boolean wasMatched;
        State before;
        CompletableFuture<AgentChannel> waiting;
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            before = state;
            waiting = claim;
            state = State.DONE;
            wasMatched = matched;
            outbound.clear();
            inbound.tryEmitComplete();
            try {
                if (status != null && status.isOk()) {
                    call.onCompleted();
                } else if (status != null) {
                    call.onError(status.asRuntimeException());
                }
            } catch (RuntimeException e) {
                // The call may have been cancelled meanwhile: nothing left to tell the agent.
                log.debug("channel {} of agent {}: ending the call: {}", channelId, agentId, e.toString());
            }
        }
        // The forwarder is left alone: it stops pulling now that the channel is DONE. Cancelling it
        // would cancel the client's inbound stream, which closes a WebSocket at once, before the
        // relay has told the client why the terminal ended.
        if (before == State.SPARE && spares != null) {
            spares.gone(this);
        }
        if (waiting != null) {
            waiting.completeExceptionally(new SpareLost()); // a no-op once answered
        }
        if (wasMatched) {
            onEnd.run();
        }
        ended.complete(null);
    }

    @Override
    public String toString() {
        return "channel " + channelId() + " of agent " + agentId;
    }
}
