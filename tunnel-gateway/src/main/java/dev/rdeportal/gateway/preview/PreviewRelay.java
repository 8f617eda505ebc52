package dev.rdeportal.gateway.preview;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.rdeportal.gateway.channel.AgentChannel;
import dev.rdeportal.gateway.channel.FrameArrays;
import dev.rdeportal.gateway.web.WebSocketCloses;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.HttpResponseHead;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Relays one request (or one WebSocket) over its own agent channel, streaming both ways without
 * ever holding a whole body: request body chunks go to the agent as the channel's credit allows,
 * and response chunks are taken from the agent only as the browser's connection takes them (the
 * agent is credited per chunk handed to the connection), each flushed at once so server-sent
 * events and chunked responses arrive as the app writes them.
 *
 * <p>The agent's first frame decides: a response head (then the body, ended by {@code End}), or a
 * close before any head, which means the app could not be reached (502). A close or a lost agent
 * after the head aborts the response, so a cut download never looks complete.
 */
final class PreviewRelay {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.preview");
    private static final ChannelFrame END = ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build();

    /** Why the app could not be reached, for a 502. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Credits the agent in steps of {@link #ACK_STEP} rather than per frame: a quarter of the agent's
     * 1 MiB preview window, one Ack message per four full 64 KiB frames (each Ack is a gRPC message
     * through both processes), while the three quarters left keep the agent from ever waiting on
     * a credit we hold back.
     */
    static final class Credits {
        static final int ACK_STEP = ProtocolVersions.PREVIEW_WINDOW_BYTES / 4;
        private final AgentChannel channel;
        private int pending;

        Credits(AgentChannel channel) {
            this.channel = channel;
        }

        /** Called in sequence (one writer per response or socket). */
        void taken(ChannelFrame frame) {
            pending += ProtocolVersions.frameCost(frame);
            if (pending >= ACK_STEP) {
                channel.acknowledge(pending);
                pending = 0;
            }
        }
    }

    /** Bytes moved by one relayed request, counted as they go. */
    static final class Traffic {
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
    }

    private final WebSocketService upgrades;

    PreviewRelay(WebSocketService upgrades) {
        this.upgrades = upgrades;
    }

    /**
     * The request relayed over the channel {@code open} asks the agent for: an HTTP exchange, or a
     * WebSocket if {@code websocket}; resumed on the browser connection's event loop once the agent
     * accepted (see {@link #onLoop}).
     */
    Mono<Void> relay(ServerWebExchange exchange, boolean websocket, Traffic traffic,
                     Supplier<CompletableFuture<AgentChannel>> open) {
        return relay(exchange, websocket, traffic, open, loopOf(exchange));
    }

    /** As {@link #relay(ServerWebExchange, boolean, Traffic, Supplier)} with {@code loop} given; null stays on the agent's thread. */
    Mono<Void> relay(ServerWebExchange exchange, boolean websocket, Traffic traffic,
                     Supplier<CompletableFuture<AgentChannel>> open, Scheduler loop) {
        return onLoop(Mono.fromFuture(open), loop)
                .flatMap(channel -> websocket ? websocket(exchange, channel, traffic) : http(exchange, channel, traffic, loop));
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /**
     * With {@code loop} (the browser connection's event loop, {@link #loopOf}; null off Reactor Netty), the agent's frames
     * are handed to the response there, in one task per batch that arrived together; see
     * {@link #onLoop}.
     */
    Mono<Void> http(ServerWebExchange exchange, AgentChannel channel, Traffic traffic, Scheduler loop) {
        boolean ended = channel.requestEnded();
        Flux<ChannelFrame> body = exchange.getRequest().getBody()
                .concatMapIterable(buffer -> {
                    if (ended && buffer.readableByteCount() > 0) {
                        // Declared bodiless (its End already went out with it) yet it has one.
                        DataBufferUtils.release(buffer);
                        throw new IllegalStateException("a request without Content-Length or Transfer-Encoding sent a body");
                    }
                    return chunks(buffer, traffic);
                });
        Disposable upload = channel.forward(body)
                .then(Mono.fromRunnable(() -> {
                    if (!ended) {
                        channel.sendFrame(END);
                    }
                }))
                .subscribe(null, e -> {
                    log.debug("preview upload on {} ended: {}", channel, e.toString());
                    channel.close();
                });
        Flux<ChannelFrame> fromAgent = loop == null ? channel.frames() : channel.frames().publishOn(loop, LOOP_PREFETCH);
        return fromAgent
                .switchOnFirst((first, frames) -> {
                    ChannelFrame head = first.get();
                    if (head == null || !head.hasResponse()) {
                        return Flux.error(new Unreachable(reason(head)));
                    }
                    return respond(exchange.getResponse(), head.getResponse(), frames.skip(1), channel, traffic).flux();
                })
                .then()
                .doFinally(signal -> {
                    upload.dispose();
                    channel.close();
                });
    }

    private Mono<Void> respond(ServerHttpResponse response, HttpResponseHead head, Flux<ChannelFrame> frames,
                               AgentChannel channel, Traffic traffic) {
        response.setStatusCode(HttpStatusCode.valueOf(head.getStatus()));
        PreviewHeaders.toBrowser(head.getHeadersList(), response.getHeaders());
        AtomicBoolean complete = new AtomicBoolean();
        Credits credits = new Credits(channel);
        Flux<DataBuffer> body = frames
                .takeUntil(frame -> frame.hasEnd() || frame.hasClose())
                .handle((ChannelFrame frame, SynchronousSink<DataBuffer> sink) -> {
                    switch (frame.getBodyCase()) {
                        case DATA -> {
                            ByteString data = frame.getData();
                            traffic.out.addAndGet(data.size());
                            credits.taken(frame);
                            sink.next(buffer(response.bufferFactory(), data));
                        }
                        case END -> complete.set(true);
                        case CLOSE -> sink.error(new Unreachable("the app's response was cut off: " + reason(frame)));
                        default -> {
                        }
                    }
                })
                // A stream that ends without End lost its agent midway.
                .concatWith(Mono.defer(() -> complete.get() ? Mono.empty()
                        : Mono.error(new Unreachable("the workspace's agent went away during the response"))));
        // Reactor Netty flushes whenever what is queued runs out, so a server-sent event goes out
        // alone and at once, while a bulk body goes out in batches of frames.
        return response.writeWith(body);
    }

    /**
     * How many of the agent's frames the hop to the event loop takes ahead; they wait beside the
     * channel's own buffer ({@code AgentChannel}), which bounds what an agent may send beyond its credit.
     */
    static final int LOOP_PREFETCH = 32;

    /**
     * The event loop of the Reactor Netty connection under {@code exchange}, as a scheduler; null
     * on another server (tests on a mock exchange).
     */
    static Scheduler loopOf(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        return request instanceof Connection connection
                ? Schedulers.fromExecutor(connection.channel().eventLoop()) : null;
    }

    /**
     * {@code opened} (the agent's channel, which completes on the gRPC transport's thread) resumed
     * on the browser connection's event loop. The relay then subscribes to the request body and
     * writes the response where Reactor Netty does both itself: writing from the gRPC thread cost
     * a hand-off to the event loop for the body's subscription, for every batch of the response
     * and for its completion, each a wake-up of that loop; on the loop they are plain calls, and
     * the frames of one agent read cross in one task.
     */
    static <T> Mono<T> onLoop(Mono<T> opened, Scheduler loop) {
        return loop == null ? opened : opened.publishOn(loop);
    }

    // ---- WebSocket -------------------------------------------------------------------------------

    /**
     * The agent's first frame decides between an upgrade and a plain answer. Reactor Netty runs a
     * WebSocket handler on its own after the handshake (the upgrade's Mono completes first), so the
     * handler gets the rest of the agent's frames through a sink of its own, and it alone closes the
     * channel once it runs.
     */
    Mono<Void> websocket(ServerWebExchange exchange, AgentChannel channel, Traffic traffic) {
        Sinks.One<ChannelFrame> first = Sinks.one();
        // Bounded by the agent's credit, like the channel's own buffer.
        Sinks.Many<ChannelFrame> rest = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean headSeen = new AtomicBoolean();
        channel.frames().subscribe(frame -> {
            if (headSeen.compareAndSet(false, true)) {
                first.tryEmitValue(frame);
            } else {
                rest.tryEmitNext(frame);
            }
        }, error -> {
            first.tryEmitEmpty();
            rest.tryEmitError(error);
        }, () -> {
            first.tryEmitEmpty();
            rest.tryEmitComplete();
        });
        AtomicBoolean handled = new AtomicBoolean();
        return first.asMono()
                .switchIfEmpty(Mono.error(() -> new Unreachable(reason(null))))
                .flatMap(head -> {
                    if (!head.hasResponse()) {
                        return Mono.error(new Unreachable(reason(head)));
                    }
                    if (head.getResponse().getStatus() != 101) {
                        // The app declined the upgrade: its answer goes to the browser as it is.
                        channel.sendFrame(END);
                        return respond(exchange.getResponse(), head.getResponse(), rest.asFlux(), channel, traffic)
                                .doFinally(signal -> channel.close());
                    }
                    String subprotocol = head.getResponse().getSubprotocol();
                    Handler handler = new Handler(channel, rest.asFlux(), subprotocol, traffic, handled);
                    return upgrades.handleRequest(exchange, handler)
                            .doFinally(signal -> {
                                if (signal != SignalType.ON_COMPLETE || !handled.get()) {
                                    channel.close();
                                }
                            });
                })
                .doOnError(e -> channel.close());
    }

    private static final class Handler implements WebSocketHandler {

        private final AgentChannel channel;
        private final Flux<ChannelFrame> frames;
        private final String subprotocol;
        private final Traffic traffic;

        private final AtomicBoolean handled;

        Handler(AgentChannel channel, Flux<ChannelFrame> frames, String subprotocol, Traffic traffic,
                AtomicBoolean handled) {
            this.handled = handled;
            this.channel = channel;
            this.frames = frames;
            this.subprotocol = subprotocol;
            this.traffic = traffic;
        }

        @Override
        public List<String> getSubProtocols() {
            return subprotocol.isEmpty() ? List.of() : List.of(subprotocol);
        }

        @Override
        public Mono<Void> handle(WebSocketSession ws) {
            handled.set(true);
            CloseStatus[] closeFromApp = {null};
            Credits credits = new Credits(channel);
            Mono<Void> toBrowser = ws.send(frames
                    .takeUntil(ChannelFrame::hasClose)
                    .handle((frame, sink) -> {
                        if (frame.hasMessage()) {
                            ByteString payload = frame.getMessage().getPayload();
                            traffic.out.addAndGet(payload.size());
                            credits.taken(frame);
                            sink.next(frame.getMessage().getText()
                                    ? ws.textMessage(payload.toStringUtf8())
                                    : ws.binaryMessage(factory -> factory.wrap(payload.asReadOnlyByteBuffer())));
                        } else if (frame.hasClose()) {
                            closeFromApp[0] = closeStatus(frame.getClose().getExitCode(), frame.getClose().getReason());
                        }
                    }))
                    .then(Mono.defer(() -> WebSocketCloses.closeIfOpen(ws,
                            closeFromApp[0] == null ? CloseStatus.GOING_AWAY : closeFromApp[0])));
            Mono<Void> toApp = channel.forward(ws.receive()
                    .filter(m -> m.getType() == WebSocketMessage.Type.TEXT || m.getType() == WebSocketMessage.Type.BINARY)
                    .map(m -> {
                        byte[] bytes = new byte[m.getPayload().readableByteCount()];
                        m.getPayload().read(bytes);
                        traffic.in.addAndGet(bytes.length);
                        return ChannelFrame.newBuilder().setMessage(dev.rdeportal.proto.v1.WebSocketMessage.newBuilder()
                                .setPayload(ByteString.copyFrom(bytes))
                                .setText(m.getType() == WebSocketMessage.Type.TEXT)).build();
                    }));
            return Mono.firstWithSignal(toBrowser, toApp)
                    .onErrorResume(e -> {
                        log.debug("preview WebSocket on {} ended: {}", channel, e.toString());
                        return Mono.empty();
                    })
                    .doFinally(signal -> channel.close());
        }

        private static CloseStatus closeStatus(int code, String reason) {
            try {
                return code >= 1000 && code <= 4999 && code != 1005 && code != 1006
                        ? new CloseStatus(code, reason.isEmpty() ? null : reason) : CloseStatus.GOING_AWAY;
            } catch (IllegalArgumentException e) {
                return CloseStatus.GOING_AWAY;
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A request body buffer as data frames of at most the channel's frame size; the buffer is released. */
    private static List<ChannelFrame> chunks(DataBuffer buffer, Traffic traffic) {
        try {
            int size = buffer.readableByteCount();
            traffic.in.addAndGet(size);
            List<ChannelFrame> frames = new ArrayList<>(size / ProtocolVersions.PREVIEW_MAX_FRAME_BYTES + 1);
            while (buffer.readableByteCount() > 0) {
                byte[] bytes = new byte[Math.min(ProtocolVersions.PREVIEW_MAX_FRAME_BYTES, buffer.readableByteCount())];
                buffer.read(bytes);
                // A fresh array nobody writes again: protobuf may keep it without a second copy.
                frames.add(ChannelFrame.newBuilder().setData(UnsafeByteOperations.unsafeWrap(bytes)).build());
            }
            return frames;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /**
     * A data frame's bytes as the response's buffer, without a copy. On Netty the buffer gives the
     * frame's array back for the next frame once written ({@link FrameArrays}); the frame is not
     * read again after this.
     */
    private static DataBuffer buffer(DataBufferFactory factory, ByteString data) {
        if (factory instanceof NettyDataBufferFactory netty) {
            return netty.wrap(FrameArrays.toByteBuf(data));
        }
        return factory.wrap(data.asReadOnlyByteBuffer());
    }

    private static String reason(ChannelFrame frame) {
        if (frame == null) {
            return "the workspace's agent went away before the app answered";
        }
        if (frame.hasClose() && !frame.getClose().getReason().isEmpty()) {
            return frame.getClose().getReason();
        }
        return "the app could not be reached";
    }
}
