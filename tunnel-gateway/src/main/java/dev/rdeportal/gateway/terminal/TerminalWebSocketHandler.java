package dev.rdeportal.gateway.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.rdeportal.domain.blueprint.Tool;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalTicketRefusedEvent;
import dev.rdeportal.gateway.channel.AgentChannel;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.channel.ChannelUnavailableException;
import dev.rdeportal.gateway.channel.FrameArrays;
import dev.rdeportal.gateway.web.WebSocketCloses;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelClose;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.Resize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

/**
 * One terminal WebSocket, from ticket to exit:
 * <pre>
 *   AUTH (ticket: first text message, or ?ticket=) → REDEEM → OPEN channel → RELAY → EXIT
 * </pre>
 * Binary frames are raw terminal bytes both ways; text frames are control JSON ({@code resize}
 * from the client; {@code ready} and {@code exit} from the server). Every way out ends with an
 * {@code exit} message whose reason the client can show: the exit status, "workspace stopped",
 * "ticket refused", the agent's reason for refusing, "agent disconnected".
 *
 * <p>Bytes are relayed in memory only. Output goes to the client one write at a time: the frames
 * that arrived while the last write was under way, joined into one message (see
 * {@link OutputBatches}). The agent is credited for them once the socket accepted them, so a
 * browser that reads slowly holds back its own terminal and nothing else.
 */
final class TerminalWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.terminal");
    /** Largest binary message of output: frames that wait while the socket is busy leave together, up to this. */
    static final int MAX_MESSAGE_BYTES = 4 * ProtocolVersions.CHANNEL_MAX_FRAME_BYTES;
    /** Output is acknowledged to the agent once this much of its credit is due. */
    static final int ACK_THRESHOLD = ProtocolVersions.CHANNEL_MAX_FRAME_BYTES;

    private final TerminalTickets tickets;
    private final ChannelBroker broker;
    private final TerminalAudit audit;
    private final WorkspaceAccess access;
    private final Clock clock;
    private final Duration authTimeout;
    private final ObjectMapper json = new ObjectMapper();

    TerminalWebSocketHandler(TerminalTickets tickets, ChannelBroker broker, TerminalAudit audit, WorkspaceAccess access,
                             Clock clock, Duration authTimeout) {
        this.tickets = tickets;
        this.broker = broker;
        this.audit = audit;
        this.access = access;
        this.clock = clock;
        this.authTimeout = authTimeout;
    }

    /** What the client asked for: from the auth message or the query. Its toString never shows the ticket. */
    record Request(String ticket, String command, String session, int cols, int rows) {

        static Request of(String ticket, String command, String session, String cols, String rows) {
            return new Request(ticket, blankToEmpty(command), blankToEmpty(session), number(cols), number(rows));
        }

        @Override
        public String toString() {
            return "Request[session=" + session + ", cols=" + cols + ", rows=" + rows + "]";
        }
    }

    /** A client message, copied out of the WebSocket frame (whose buffer is released after onNext). */
    private record Inbound(String text, byte[] bytes) {

        static Inbound copyOf(WebSocketMessage message) {
            return switch (message.getType()) {
                case TEXT -> new Inbound(message.getPayloadAsText(), null);
                case BINARY -> {
                    byte[] bytes = new byte[message.getPayload().readableByteCount()];
                    message.getPayload().read(bytes);
                    yield new Inbound(null, bytes);
                }
                default -> new Inbound(null, null);
            };
        }
    }

    /**
     * How far a connection got before it was attached, for the one line logged when it ends
     * before that without a reason already logged (the client left, or something failed): an
     * operator can then tell a user who closed the tab from an agent that never answered.
     */
    private static final class Progress {
        private static final String WAITING_FOR_TICKET = "waiting for the ticket";
        private final long startedAt = System.nanoTime();
        private volatile String stage = WAITING_FOR_TICKET;
        private volatile boolean told; // attached, or its end is logged already

        void at(String next) {
            stage = next;
        }

        boolean waitingForTicket() {
            return WAITING_FOR_TICKET.equals(stage);
        }

        void told() {
            told = true;
        }

        void ended(String workspaceId, String clientIp, SignalType signal) {
            if (!told) {
                String how = switch (signal) {
                    case ON_COMPLETE -> "closed";
                    case ON_ERROR -> "failed";
                    default -> "cancelled";
                };
                log.info("terminal connection for workspace {} from {} {} before it was attached, while {} ({} ms)",
                        workspaceId, clientIp, how, stage, (System.nanoTime() - startedAt) / 1_000_000);
            }
        }
    }

    /** @param workspaceId from the path; {@code clientIp} as decided before the upgrade */
    Mono<Void> handle(WebSocketSession ws, String workspaceId, String clientIp) {
        return handle(ws, workspaceId, clientIp, () -> { });
    }

    /** @param read asks the connection under {@code ws} to read from its socket now (see the auth wait) */
    Mono<Void> handle(WebSocketSession ws, String workspaceId, String clientIp, Runnable read) {
        Progress progress = new Progress();
        return handle(ws, workspaceId, clientIp, progress, read)
                .doFinally(signal -> progress.ended(workspaceId, clientIp, signal));
    }

    private Mono<Void> handle(WebSocketSession ws, String workspaceId, String clientIp, Progress progress,
                              Runnable read) {
        // Raw (still percent-encoded) values, decoded one by one: a malformed query must not throw here.
        Map<String, String> query = UriComponentsBuilder.fromUri(ws.getHandshakeInfo().getUri()).build()
                .getQueryParams().toSingleValueMap();
        Flux<Inbound> inbound = ws.receive().map(Inbound::copyOf).filter(m -> m.text() != null || m.bytes() != null);
        if (query.containsKey("ticket")) {
            Request request = Request.of(decode(query.get("ticket")), decode(query.get("command")),
                    decode(query.get("session")), query.get("cols"), query.get("rows"));
            return serve(ws, workspaceId, clientIp, request, inbound, progress);
        }
        Mono<Void> authenticated = inbound
                .switchOnFirst((first, all) -> {
                    if (!first.hasValue()) {
                        return Flux.empty();
                    }
                    Request request = auth(first.get());
                    if (request == null) {
                        return refuse(ws, workspaceId, clientIp, null, "no ticket in the first message", progress).flux();
                    }
                    return serve(ws, workspaceId, clientIp, request, all.skip(1), progress).flux();
                })
                .then();
        // Not a timeout on the inbound: that would cancel it first, and a cancelled inbound closes
        // the socket before the refusal's exit message could be sent.
        // Halfway, a connection that has still sent nothing is asked to read, and logged. CI saw, rarely,
        // a first socket whose auth message the portal never got: Reactor Netty had dropped it, as the
        // upgrade started off the event loop (fixed in EventLoopUpgrades). The read costs nothing when
        // there is nothing, and the UI also repeats its auth message; both stay as a second line.
        Duration halfway = authTimeout.dividedBy(2);
        Mono<Void> tooLate = Mono.delay(halfway)
                .doOnNext(elapsed -> {
                    if (progress.waitingForTicket()) {
                        log.info("terminal connection for workspace {} from {} has sent no ticket after {} ms; reading again",
                                workspaceId, clientIp, halfway.toMillis());
                        read.run();
                    }
                })
                .then(Mono.delay(authTimeout.minus(halfway)))
                .flatMap(elapsed -> progress.waitingForTicket()
                        ? refuse(ws, workspaceId, clientIp, null, "no ticket within " + authTimeout.toSeconds() + "s",
                                progress)
                        : Mono.<Void>never());
        return Mono.firstWithSignal(authenticated, tooLate);
    }

    private Request auth(Inbound first) {
        if (first.text() == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(first.text());
            if (node == null || !"auth".equals(node.path("type").asText())) {
                return null;
            }
            return Request.of(node.path("ticket").asText(null), node.path("command").asText(null),
                    node.path("session").asText(null), node.path("cols").asText(null), node.path("rows").asText(null));
        } catch (Exception e) {
            return null;
        }
    }

    private Mono<Void> serve(WebSocketSession ws, String workspaceId, String clientIp, Request request,
                             Flux<Inbound> inbound, Progress progress) {
        progress.at("redeeming the ticket");
        return Mono.fromCallable(() -> tickets.redeem(request.ticket(), workspaceId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(redemption -> {
                    if (redemption instanceof TerminalTickets.Refused refused) {
                        return refuse(ws, workspaceId, clientIp, refused.user(), refused.reason(), progress);
                    }
                    TerminalTickets.Holder holder = ((TerminalTickets.Accepted) redemption).holder();
                    return open(ws, holder, clientIp, request, inbound, progress);
                });
    }

    private Mono<Void> refuse(WebSocketSession ws, String workspaceId, String clientIp, String user, String reason,
                              Progress progress) {
        progress.at("refusing the ticket");
        progress.told();
        log.warn("terminal ticket for workspace {} from {} refused: {}", workspaceId, clientIp, reason);
        return audit.record(new TerminalTicketRefusedEvent(workspaceId, user, reason), user, clientIp)
                .then(exit(ws, null, "ticket refused", CloseStatus.POLICY_VIOLATION));
    }

    private Mono<Void> open(WebSocketSession ws, TerminalTickets.Holder holder, String clientIp, Request request,
                            Flux<Inbound> inbound, Progress progress) {
        progress.at("waiting for the agent to open the channel");
        return toolCommand(holder, request.command())
                .flatMap(command -> Mono.fromFuture(() -> broker.openTerminal(holder.clusterId(), holder.workspaceId(),
                        holder.user(), command, request.cols(), request.rows(), request.session())))
                .flatMap(channel -> {
                    progress.at("waiting for the agent to attach the session");
                    return relay(ws, channel, holder, clientIp, request, inbound, progress);
                })
                .onErrorResume(e -> unwrap(e) instanceof ChannelUnavailableException, e -> {
                    progress.told();
                    log.info("terminal for workspace {} ({}) not opened: {}", holder.workspaceId(), holder.user(),
                            unwrap(e).getMessage());
                    return exit(ws, null, unwrap(e).getMessage(), CloseStatus.NORMAL);
                });
    }

    /**
     * {@code command} names one of the workspace's AI tools (API.md), never a command line: the
     * tool's command comes from the blueprint the workspace was launched with. Empty: a login shell.
     */
    private Mono<String> toolCommand(TerminalTickets.Holder holder, String tool) {
        if (tool.isEmpty()) {
            return Mono.just("");
        }
        return access.owned(holder.workspaceId(), holder.user())
                .map(view -> view.spec() == null ? List.<Tool>of() : view.spec().tools())
                .flatMap(tools -> tools.stream().filter(t -> t.name().equals(tool)).findFirst()
                        .map(t -> Mono.just(t.command()))
                        .orElseGet(() -> Mono.error(new ChannelUnavailableException("this workspace has no tool named '"
                                + tool + "'" + (tools.isEmpty() ? "" : "; it offers: "
                                + String.join(", ", tools.stream().map(Tool::name).toList()))))));
    }

    private Mono<Void> relay(WebSocketSession ws, AgentChannel channel, TerminalTickets.Holder holder, String clientIp,
                             Request request, Flux<Inbound> inbound, Progress progress) {
        String connectionId = UUID.randomUUID().toString();
        Instant openedAt = clock.instant();
        AtomicReference<String> sessionId = new AtomicReference<>();
        AtomicReference<ChannelClose> closed = new AtomicReference<>();
        AtomicLong unacked = new AtomicLong(); // output the client took, not yet acknowledged to the agent
        AtomicLong bytesIn = new AtomicLong(); // keystrokes, as the client sent them
        AtomicLong bytesOut = new AtomicLong(); // output, as the client's socket took it

        // No prefetch: the next batch is formed once the last write is done, from all that came meanwhile.
        Mono<Void> toClient = OutputBatches.of(channel.frames().takeUntil(ChannelFrame::hasClose), MAX_MESSAGE_BYTES)
                .concatMap(batch -> {
                    ChannelFrame frame = batch.control();
                    if (frame == null) {
                        return sendOutput(ws, channel, batch, unacked, bytesOut);
                    }
                    return switch (frame.getBodyCase()) {
                        case READY -> {
                            progress.told();
                            sessionId.set(frame.getReady().getSessionId());
                            log.info("terminal session {} of workspace {} attached for {} from {}", sessionId.get(),
                                    holder.workspaceId(), holder.user(), clientIp);
                            yield audit.record(new TerminalSessionOpenedEvent(holder.workspaceId(), connectionId,
                                            sessionId.get(), holder.user(), clientIp, request.command(),
                                            !request.session().isEmpty(), openedAt), holder.user(), clientIp)
                                    .then(ws.send(Mono.just(ws.textMessage(ready(sessionId.get())))));
                        }
                        case CLOSE -> {
                            closed.set(frame.getClose());
                            yield ws.send(Mono.just(ws.textMessage(exitJson(frame.getClose()))));
                        }
                        default -> Mono.<Void>empty();
                    };
                }, 0)
                .then(Mono.defer(() -> closed.get() != null ? Mono.<Void>empty()
                        : ws.send(Mono.just(ws.textMessage(exitJson(null, "agent disconnected"))))))
                .then(WebSocketCloses.closeIfOpen(ws, CloseStatus.NORMAL));

        Mono<Void> toAgent = channel.forward(inbound
                .doOnNext(message -> bytesIn.addAndGet(message.bytes() == null ? 0 : message.bytes().length))
                .concatMapIterable(this::frames));

        return Mono.firstWithSignal(toClient, toAgent)
                .onErrorResume(e -> {
                    log.debug("terminal relay for workspace {} ended: {}", holder.workspaceId(), e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    channel.close();
                    if (sessionId.get() != null) {
                        ChannelClose end = closed.get();
                        String reason = end != null ? end.getReason() : "client disconnected";
                        audit.record(new TerminalSessionClosedEvent(holder.workspaceId(), connectionId, sessionId.get(),
                                        holder.user(), clientIp, openedAt, clock.instant(),
                                        end != null && end.getExited() ? end.getExitCode() : null, reason,
                                        bytesIn.get(), bytesOut.get()),
                                holder.user(), clientIp).subscribe();
                    }
                });
    }

    /**
     * One binary message of output. Once the socket has taken it, what the agent charged for those
     * frames (each frame's channel cost, at least 256 bytes, so a sum that
     * {@link AgentChannel#acknowledge} passes on unchanged) is due to the agent.
     */
    private Mono<Void> sendOutput(WebSocketSession ws, AgentChannel channel, OutputBatches.Batch batch, AtomicLong unacked,
                                  AtomicLong bytesOut) {
        ByteString data = batch.data();
        return ws.send(Mono.just(ws.binaryMessage(factory -> wrap(factory, data))))
                .then(Mono.fromRunnable(() -> {
                    broker.countTerminalBytes(false, data.size());
                    bytesOut.addAndGet(data.size());
                    // In steps of at least ACK_THRESHOLD: an echo costs 256 bytes of the 256 KiB
                    // window, so what stays unacknowledged never holds the agent back, and an echo
                    // costs one message on the agent's connection, not two. Output that floods
                    // comes in batches larger than that and is acknowledged write by write.
                    long due = unacked.addAndGet(batch.cost());
                    if (due >= ACK_THRESHOLD) {
                        unacked.addAndGet(-due);
                        channel.acknowledge((int) due);
                    }
                }));
    }

    /**
     * Output as the socket's buffer, over the frame's own array: a batch of one frame (what a
     * flooding terminal sends: 64 KiB frames do not join) gives its array back to
     * {@link FrameArrays} once the socket took it, so streaming output allocates no new 64 KiB
     * array per frame. Fresh arrays were a tenth of the portal's CPU while output flooded (page
     * faults and zeroing, session-7 profile).
     */
    private static DataBuffer wrap(DataBufferFactory factory, ByteString data) {
        if (factory instanceof NettyDataBufferFactory netty) {
            return netty.wrap(FrameArrays.toByteBuf(data));
        }
        return factory.wrap(data.asReadOnlyByteBuffer());
    }

    /** A client message as channel frames: keystrokes in frames of at most the channel's frame size, resizes. */
    private List<ChannelFrame> frames(Inbound message) {
        if (message.bytes() != null) {
            byte[] bytes = message.bytes();
            broker.countTerminalBytes(true, bytes.length);
            List<ChannelFrame> frames = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += ProtocolVersions.CHANNEL_MAX_FRAME_BYTES) {
                int length = Math.min(ProtocolVersions.CHANNEL_MAX_FRAME_BYTES, bytes.length - at);
                frames.add(ChannelFrame.newBuilder().setData(ByteString.copyFrom(bytes, at, length)).build());
            }
            return frames;
        }
        try {
            JsonNode node = json.readTree(message.text());
            if (node != null && "resize".equals(node.path("type").asText())) {
                int cols = node.path("cols").asInt(0);
                int rows = node.path("rows").asInt(0);
                if (cols > 0 && rows > 0 && cols <= 10_000 && rows <= 10_000) {
                    return List.of(ChannelFrame.newBuilder()
                            .setResize(Resize.newBuilder().setCols(cols).setRows(rows)).build());
                }
            }
        } catch (Exception e) {
            log.debug("ignoring a control message that is not JSON");
        }
        return List.of();
    }

    private Mono<Void> exit(WebSocketSession ws, Integer code, String reason, CloseStatus status) {
        return ws.send(Mono.just(ws.textMessage(exitJson(code, reason))))
                .then(WebSocketCloses.closeIfOpen(ws, status))
                .onErrorResume(e -> Mono.empty());
    }

    private String ready(String sessionId) {
        return json.createObjectNode().put("type", "ready").put("session", sessionId).toString();
    }

    private String exitJson(ChannelClose close) {
        return exitJson(close.getExited() ? close.getExitCode() : null,
                close.getReason().isEmpty() ? "terminal ended" : close.getReason());
    }

    private String exitJson(Integer code, String reason) {
        ObjectNode node = json.createObjectNode().put("type", "exit");
        if (code == null) {
            node.putNull("code");
        } else {
            node.put("code", code);
        }
        return node.put("reason", reason).toString();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String decode(String value) {
        try {
            return value == null ? null : java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // refused further on as a malformed ticket, or ignored
        }
    }

    private static String blankToEmpty(String value) {
        return value == null || value.isBlank() ? "" : value;
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
