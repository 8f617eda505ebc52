package dev.rdeportal.agent.preview;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.rdeportal.agent.tunnel.OutboundQueue;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelClose;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelOpen;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.HttpHeader;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.HttpResponseHead;
import dev.rdeportal.proto.v1.WebSocketMessage;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One preview channel: one HTTP request (or WebSocket) to the app, relayed over its own
 * {@code Channel} stream.
 *
 * <p>Flow control, both ways, bounded by the channel credit:
 * <ul>
 *   <li>app → gateway: the response body (or the app's WebSocket messages) is asked for one chunk
 *       at a time, and only while less than the channel window is unacknowledged and the outbound
 *       queue is short; acks and the transport turning ready ask for more.</li>
 *   <li>gateway → app: frames are taken off the stream at once into the {@link RequestBody} (or
 *       the WebSocket's send queue), which the gateway's credit bounds, and acknowledged as the
 *       HTTP client takes them.</li>
 * </ul>
 */
final class PreviewStream implements ClientResponseObserver<ChannelFrame, ChannelFrame> {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.preview");

    static final int MAX_QUEUED_FRAMES = 64;
    private static final int ACK_STEP = 64 * 1024;
    private static final Set<String> NOT_SENT = Set.of("connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> BODILESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    // Final for a channel asked for on the control stream; set once by bind() on a 1.5 spare.
    private volatile String channelId;
    private volatile String workspaceId;
    private volatile InetSocketAddress app;
    private volatile int port;
    private volatile HttpRequestHead request;
    private final HttpClient client;
    private volatile Runnable onEnd;
    // 1.5: a spare waiting for its request; the request goes to onRequest, once.
    private volatile java.util.function.BiConsumer<PreviewStream, dev.rdeportal.proto.v1.OpenChannel> onRequest;
    private final Object credit = new Object();
    private final RequestBody requestBody;
    private volatile ClientCallStreamObserver<ChannelFrame> call;
    private volatile OutboundQueue<ChannelFrame> outbox;
    private volatile boolean ended;
    // Guarded by credit.
    private long unacked;
    private Runnable resume;
    private long unackedIn;
    // WebSocket, gateway -> app: messages wait here and are sent one at a time.
    private final ArrayDeque<WebSocketMessage> toApp = new ArrayDeque<>();
    private boolean sending; // guarded by toApp
    private volatile WebSocket socket;
    private volatile Flow.Subscription responseSubscription;

    PreviewStream(String channelId, String workspaceId, InetSocketAddress app, int port, HttpRequestHead request,
                  HttpClient client, Runnable onEnd) {
        this.channelId = channelId;
        this.workspaceId = workspaceId;
        this.app = app;
        this.port = port;
        this.request = request;
        this.client = client;
        this.onEnd = onEnd;
        this.requestBody = new RequestBody(size -> acknowledge(ProtocolVersions.channelCost(size)));
    }

    /**
     * 1.5: a spare stream, dialled before any request. Its one request (the gateway's first frame)
     * goes to {@code onRequest}, which must then {@link #bind} or {@link #refuse} it; {@code onEnd}
     * runs if it ends first.
     */
    PreviewStream(String spareId, HttpClient client,
                  java.util.function.BiConsumer<PreviewStream, dev.rdeportal.proto.v1.OpenChannel> onRequest,
                  Runnable onEnd) {
        this.channelId = spareId;
        this.workspaceId = "";
        this.client = client;
        this.onRequest = onRequest;
        this.onEnd = onEnd;
        this.requestBody = new RequestBody(size -> acknowledge(ProtocolVersions.channelCost(size)));
    }

    String workspaceId() {
        return workspaceId;
    }

    /** Dials the channel stream, names the channel, and starts the request to the app. */
    void dial(Channel gateway) {
        // Every callback of this stream (frames, acks, the transport turning ready) only hands work
        // on without blocking: queue a frame, ask the HTTP client for more, feed the request body.
        // So it runs on the transport's thread, sparing a hand-off to gRPC's executor per message.
        AgentTunnelGrpc.newStub(gateway).withExecutor(Runnable::run).channel(this);
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build());
        if (request.getWebsocket()) {
            openWebSocket();
        } else {
            sendRequest();
        }
    }

    /** 1.5: dials a spare stream and names it one; the gateway keeps it until a request needs it. */
    void dialSpare(Channel gateway) {
        AgentTunnelGrpc.newStub(gateway).withExecutor(Runnable::run).channel(this);
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId).setSpare(true)).build());
    }

    /**
     * 1.5: this spare takes the request it was given, to {@code app}: accepts it towards the
     * gateway (ChannelOpen naming the request's channel id) and starts the request to the app.
     * Returns false if the stream ended meanwhile.
     */
    boolean bind(String channelId, String workspaceId, InetSocketAddress app, int port, HttpRequestHead request,
                 Runnable onEnd) {
        this.channelId = channelId;
        this.workspaceId = workspaceId;
        this.app = app;
        this.port = port;
        this.request = request;
        this.onEnd = onEnd;
        if (ended) {
            return false;
        }
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build());
        if (request.getWebsocket()) {
            openWebSocket();
        } else {
            sendRequest();
        }
        return true;
    }

    /** 1.5: this spare refuses the request it was given, with {@code reason} (as ChannelRefused would). */
    void refuse(String reason) {
        if (ended) {
            return;
        }
        offer(ChannelFrame.newBuilder().setClose(ChannelClose.newBuilder().setReason(reason)).build());
        finish();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ChannelFrame> stream) {
        call = stream;
        outbox = new OutboundQueue<>(stream, MAX_QUEUED_FRAMES + ProtocolVersions.PREVIEW_WINDOW_BYTES / 256 + 16);
        stream.disableAutoRequestWithInitial(1);
        stream.setOnReadyHandler(() -> {
            outbox.drain();
            maybeResume();
        });
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private void sendRequest() {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(uri("http")).version(HttpClient.Version.HTTP_1_1);
        } catch (IllegalArgumentException e) {
            fail("the request target is not a valid URI");
            return;
        }
        long contentLength = -1;
        for (HttpHeader header : request.getHeadersList()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(header.getValue().strip());
                } catch (NumberFormatException e) {
                    contentLength = -1;
                }
            }
            if (!NOT_SENT.contains(name)) {
                addHeader(builder::header, header);
            }
        }
        HttpRequest.BodyPublisher body;
        if (contentLength == 0 || (contentLength < 0 && BODILESS.contains(request.getMethod()))) {
            body = HttpRequest.BodyPublishers.noBody();
        } else {
            body = contentLength > 0 ? HttpRequest.BodyPublishers.fromPublisher(requestBody, contentLength)
                    : HttpRequest.BodyPublishers.fromPublisher(requestBody);
        }
        try {
            builder.method(request.getMethod(), body);
        } catch (IllegalArgumentException e) {
            fail("the request method is not valid");
            return;
        }
        // The head goes out as soon as the client parsed it, on the client's thread, and the body
        // subscriber is the client's own: no publisher in between, no completion hop per response.
        java.util.concurrent.atomic.AtomicBoolean headSent = new java.util.concurrent.atomic.AtomicBoolean();
        client.sendAsync(builder.build(), info -> {
                    headSent.set(true);
                    offer(ChannelFrame.newBuilder().setResponse(responseHead(info.statusCode(), info.headers(), ""))
                            .build());
                    return HttpResponse.BodySubscribers.fromSubscriber(new ResponseBody());
                })
                .whenComplete((response, error) -> {
                    if (error != null) {
                        // Before the head: the app could not be reached. After it, the body
                        // subscriber has already been told (a no-op here if so).
                        fail(headSent.get() ? "the app's response broke off: " + describe(error) : unreachable(error));
                    }
                });
    }

    /** Takes the app's response body a chunk at a time, as the credit allows. */
    private final class ResponseBody implements Flow.Subscriber<List<ByteBuffer>> {

        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            responseSubscription = s;
            if (ended) {
                s.cancel();
                return;
            }
            whenCredit(() -> s.request(1));
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (ended) {
                subscription.cancel();
                return;
            }
            sendData(buffers);
            whenCredit(() -> subscription.request(1));
        }

        @Override
        public void onError(Throwable error) {
            fail("the app's response broke off: " + describe(error));
        }

        @Override
        public void onComplete() {
            offer(ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
            finish();
        }
    }

    private void sendData(ByteBuffer buffer) {
        sendData(List.of(buffer));
    }

    /**
     * What the client read, gathered into frames of up to {@link ProtocolVersions#PREVIEW_MAX_FRAME_BYTES}:
     * every frame costs a gRPC message through TLS and HTTP/2 on both ends, which dominated the
     * relay's CPU per byte at the client's 16 KiB reads.
     */
    private void sendData(List<ByteBuffer> buffers) {
        int total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        int next = 0;
        while (total > 0) {
            int length = Math.min(total, ProtocolVersions.PREVIEW_MAX_FRAME_BYTES);
            byte[] frame = new byte[length];
            int filled = 0;
            while (filled < length) {
                ByteBuffer buffer = buffers.get(next);
                int take = Math.min(buffer.remaining(), length - filled);
                buffer.get(frame, filled, take);
                filled += take;
                if (!buffer.hasRemaining()) {
                    next++;
                }
            }
            total -= length;
            synchronized (credit) {
                unacked += ProtocolVersions.channelCost(length);
            }
            // The array is ours and never written again: protobuf may keep it without a second copy.
            offer(ChannelFrame.newBuilder().setData(UnsafeByteOperations.unsafeWrap(frame)).build());
        }
    }

    // ---- WebSocket -------------------------------------------------------------------------------

    private void openWebSocket() {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (HttpHeader header : request.getHeadersList()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (!NOT_SENT.contains(name) && !name.startsWith("sec-websocket-") && !name.equals("host")) {
                addHeader(builder::header, header);
            }
        }
        List<String> protocols = request.getSubprotocolsList();
        if (!protocols.isEmpty()) {
            builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        URI uri;
        try {
            uri = uri("ws");
        } catch (IllegalArgumentException e) {
            fail("the request target is not a valid URI");
            return;
        }
        builder.buildAsync(uri, new AppListener()).whenComplete((ws, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof WebSocketHandshakeException refused) {
                    // The app answered, but not with an upgrade: its answer goes back as it is.
                    HttpResponse<?> response = refused.getResponse();
                    offer(ChannelFrame.newBuilder().setResponse(responseHead(response.statusCode(), response.headers(), ""))
                            .build());
                    Object body = response.body();
                    if (body instanceof byte[] bytes && bytes.length > 0) {
                        sendData(ByteBuffer.wrap(bytes));
                    } else if (body instanceof String text && !text.isEmpty()) {
                        sendData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                    }
                    offer(ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
                    finish();
                } else {
                    fail(unreachable(cause));
                }
                return;
            }
            socket = ws;
            offer(ChannelFrame.newBuilder().setResponse(HttpResponseHead.newBuilder().setStatus(101)
                    .setSubprotocol(ws.getSubprotocol() == null ? "" : ws.getSubprotocol())).build());
            whenCredit(() -> ws.request(1));
            sendToApp();
        });
    }

    /** The app's side of the WebSocket: whole messages to the gateway, one at a time as the credit allows. */
    private final class AppListener implements WebSocket.Listener {

        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final StringBuilder partialText = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            // Asked for in buildAsync's completion, once the gateway has its response head.
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partialText.append(data);
            if (partialText.length() > ProtocolVersions.PREVIEW_MAX_MESSAGE_BYTES) {
                tooBig(ws);
                return null;
            }
            if (last) {
                byte[] bytes = partialText.toString().getBytes(StandardCharsets.UTF_8);
                partialText.setLength(0);
                message(ByteString.copyFrom(bytes), true);
            }
            whenCredit(() -> ws.request(1));
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (partial.size() > ProtocolVersions.PREVIEW_MAX_MESSAGE_BYTES) {
                tooBig(ws);
                return null;
            }
            if (last) {
                message(ByteString.copyFrom(partial.toByteArray()), false);
                partial.reset();
            }
            whenCredit(() -> ws.request(1));
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            ws.request(1); // the client answers the pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            close(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            fail("the app's WebSocket broke off: " + describe(error));
        }

        private void tooBig(WebSocket ws) {
            ws.sendClose(1009, "message too big for the preview relay");
            close(1009, "message too big for the preview relay");
        }
    }

    private void message(ByteString payload, boolean text) {
        synchronized (credit) {
            unacked += ProtocolVersions.channelCost(payload.size());
        }
        offer(ChannelFrame.newBuilder().setMessage(WebSocketMessage.newBuilder().setPayload(payload).setText(text)).build());
    }

    private void sendToApp() {
        WebSocket ws = socket;
        if (ws == null) {
            return; // sent once the app accepted the upgrade
        }
        WebSocketMessage next;
        synchronized (toApp) {
            if (sending || toApp.isEmpty()) {
                return;
            }
            next = toApp.poll();
            sending = true;
        }
        CompletableFuture<WebSocket> sent = next.getText()
                ? ws.sendText(next.getPayload().toStringUtf8(), true)
                : ws.sendBinary(next.getPayload().asReadOnlyByteBuffer(), true);
        sent.whenComplete((w, error) -> {
            synchronized (toApp) {
                sending = false;
            }
            if (error != null) {
                fail("the app's WebSocket broke off: " + describe(error));
                return;
            }
            acknowledge(ProtocolVersions.channelCost(next.getPayload().size()));
            sendToApp();
        });
    }

    // ---- gateway -> app --------------------------------------------------------------------------

    @Override
    public void onNext(ChannelFrame frame) {
        java.util.function.BiConsumer<PreviewStream, dev.rdeportal.proto.v1.OpenChannel> waiting = onRequest;
        if (waiting != null) {
            // A spare: its first frame must be its one request; anything else ends it.
            onRequest = null;
            if (frame.hasRequest()) {
                waiting.accept(this, frame.getRequest());
                ClientCallStreamObserver<ChannelFrame> stream = call;
                if (stream != null && !ended) {
                    stream.request(1);
                }
            } else {
                log.warn("spare preview stream {}: the gateway sent {} before a request", channelId, frame.getBodyCase());
                fail("expected a preview request");
            }
            return;
        }
        switch (frame.getBodyCase()) {
            case ACK -> {
                synchronized (credit) {
                    unacked = Math.max(0, unacked - frame.getAck().getBytes());
                }
                maybeResume();
            }
            case DATA -> requestBody.add(frame.getData().asReadOnlyByteBuffer());
            case END -> requestBody.end();
            case MESSAGE -> {
                synchronized (toApp) {
                    toApp.add(frame.getMessage());
                }
                sendToApp();
            }
            default -> log.debug("preview channel {}: ignoring frame {}", channelId, frame.getBodyCase());
        }
        // Always ready for the next frame: the gateway's credit, not the transport, bounds what waits.
        ClientCallStreamObserver<ChannelFrame> stream = call;
        if (stream != null && !ended) {
            stream.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        // The gateway went away (the browser left, or the tunnel broke): stop talking to the app.
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.discard();
        }
        stop("the preview client went away");
    }

    @Override
    public void onCompleted() {
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.finish();
        }
        stop("the preview client went away");
    }

    /** The workspace stopped or the agent shuts down. */
    void abort(String reason) {
        fail(reason);
    }

    // ---- credit ----------------------------------------------------------------------------------

    /**
     * Credits the gateway for what the app took, in steps of 64 KiB (one Ack per four full frames),
     * well inside the window so the gateway never waits on credit held back here.
     */
    private void acknowledge(int bytes) {
        int due;
        synchronized (credit) {
            unackedIn += bytes;
            if (unackedIn < ACK_STEP) {
                return;
            }
            due = (int) unackedIn;
            unackedIn = 0;
        }
        offer(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes(due)).build());
    }

    /** Runs {@code next} now if the credit allows, else once an ack or the transport makes room. */
    private void whenCredit(Runnable next) {
        boolean now;
        synchronized (credit) {
            now = hasCredit();
            if (!now) {
                resume = next;
            }
        }
        if (now && !ended) {
            next.run();
        }
    }

    private void maybeResume() {
        Runnable next = null;
        synchronized (credit) {
            if (resume != null && hasCredit()) {
                next = resume;
                resume = null;
            }
        }
        if (next != null && !ended) {
            next.run();
        }
    }

    private boolean hasCredit() {
        OutboundQueue<ChannelFrame> queue = outbox;
        return unacked < ProtocolVersions.PREVIEW_WINDOW_BYTES && (queue == null || queue.size() < MAX_QUEUED_FRAMES);
    }

    // ---- end -------------------------------------------------------------------------------------

    private void close(int code, String reason) {
        offer(ChannelFrame.newBuilder().setClose(ChannelClose.newBuilder().setExitCode(code)
                .setReason(reason == null ? "" : reason)).build());
        finish();
    }

    private void fail(String reason) {
        if (ended) {
            return;
        }
        if (request == null) {
            log.debug("spare preview stream {}: {}", channelId, reason); // not serving anyone yet
        } else {
            log.info("preview channel {} (port {} of workspace {}): {}", channelId, port, workspaceId, reason);
        }
        offer(ChannelFrame.newBuilder().setClose(ChannelClose.newBuilder().setReason(reason)).build());
        finish();
    }

    private void finish() {
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.finish();
        }
        stop(null);
    }

    private void stop(String why) {
        if (ended) {
            return;
        }
        ended = true;
        requestBody.fail(why == null ? "the preview ended" : why);
        Flow.Subscription response = responseSubscription;
        if (response != null) {
            response.cancel(); // the client closes the app's connection
        }
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        if (ws != null) {
            ws.abort();
        }
        onEnd.run();
    }

    private void offer(ChannelFrame frame) {
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null && !queue.offer(frame) && !ended) {
            log.warn("preview channel {}: outbound queue full", channelId);
            ClientCallStreamObserver<ChannelFrame> stream = call;
            if (stream != null) {
                stream.cancel("outbound queue full", null);
            }
            stop("outbound queue full");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private URI uri(String scheme) {
        String target = request.getTarget().isEmpty() ? "/" : request.getTarget();
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("not an origin-form target");
        }
        String host = app.getAddress() != null ? app.getAddress().getHostAddress() : app.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + "://" + host + ":" + app.getPort() + target);
    }

    private static void addHeader(java.util.function.BiConsumer<String, String> add, HttpHeader header) {
        try {
            add.accept(header.getName(), header.getValue());
        } catch (IllegalArgumentException restricted) {
            // A header the JDK client will not send (or cannot: a malformed name); the app does without.
        }
    }

    private static HttpResponseHead responseHead(int status, HttpHeaders headers, String subprotocol) {
        HttpResponseHead.Builder head = HttpResponseHead.newBuilder().setStatus(status).setSubprotocol(subprotocol);
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            if (header.getKey().startsWith(":")) {
                continue;
            }
            for (String value : header.getValue()) {
                head.addHeaders(HttpHeader.newBuilder().setName(header.getKey()).setValue(value));
            }
        }
        return head.build();
    }

    private String unreachable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ConnectException) {
            return "nothing is listening on port " + port + " in the workspace";
        }
        if (cause instanceof HttpTimeoutException) {
            return "the app on port " + port + " did not answer in time";
        }
        return "the app on port " + port + " could not be reached: " + describe(cause);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
