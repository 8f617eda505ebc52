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
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.WebSocketMessage;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One preview channel: one HTTP request (or WebSocket) to the app, relayed over its own
 * {@code Channel} stream. HTTP requests go over {@link AppConnection}s kept alive in an
 * {@link AppPool}; WebSockets through the JDK's client.
 *
 * <p>Flow control, both ways, bounded by the channel credit:
 * <ul>
 *   <li>app → gateway: the response body is read from the app's connection a frame at a time by
 *       the thread serving the request (which waits while the channel window is unacknowledged
 *       or the outbound queue is long; acks and the transport turning ready wake it). The app's
 *       WebSocket messages are asked for one at a time under the same conditions.</li>
 *   <li>gateway → app: frames are taken off the stream at once into the {@link RequestBody} (or
 *       the WebSocket's send queue), which the gateway's credit bounds, and acknowledged as the
 *       serving thread (or the WebSocket) takes them.</li>
 * </ul>
 */
final class PreviewStream implements ClientResponseObserver<ChannelFrame, ChannelFrame> {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.preview");

    static final int MAX_QUEUED_FRAMES = 64;
    /**
     * How many bytes gRPC may hold unsent for this stream before it stops calling it ready (gRPC's
     * default is 32 KiB: less than one 64 KiB data frame, so each frame went through TLS and the
     * socket in a flush of its own, and the transport thread woke once per frame). Four full frames,
     * a quarter of the preview window: what the relaying thread serialises while the transport
     * writes goes out in one flush. Bounded per stream, like the window.
     */
    static final int ON_READY_BYTES = ProtocolVersions.PREVIEW_WINDOW_BYTES / 4;
    private static final int ACK_STEP = 64 * 1024;
    private static final Set<String> NOT_SENT = Set.of("connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> BODILESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = AppConnection.latin1("0\r\n\r\n");
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /**
     * A request with a body, which cannot be sent again if a kept-alive connection turns out to be
     * closed, takes only a connection that lay idle this long at most (apps close idle ones after
     * 5 s or more).
     */
    private static final long BODY_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Final for a channel asked for on the control stream; set once by bind() on a 1.5 spare.
    private volatile String channelId;
    private volatile String workspaceId;
    private volatile InetSocketAddress app;
    private volatile int port;
    private volatile HttpRequestHead request;
    private final Supplier<HttpClient> webSockets;
    private final AppPool pool;
    private volatile Runnable onEnd;
    // 1.5: a spare waiting for its request; the request goes to onRequest, once.
    private volatile BiConsumer<PreviewStream, OpenChannel> onRequest;
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
    // The app connection of the HTTP exchange under way; closed by stop() to end a blocked read or write.
    private volatile AppConnection connection;

    PreviewStream(String channelId, String workspaceId, InetSocketAddress app, int port, HttpRequestHead request,
                  AppPool pool, Supplier<HttpClient> webSockets, Runnable onEnd) {
        this.channelId = channelId;
        this.workspaceId = workspaceId;
        this.app = app;
        this.port = port;
        this.request = request;
        this.pool = pool;
        this.webSockets = webSockets;
        this.onEnd = onEnd;
        this.requestBody = new RequestBody(size -> acknowledge(ProtocolVersions.channelCost(size)));
    }

    /**
     * 1.5: a spare stream, dialled before any request. Its one request (the gateway's first frame)
     * goes to {@code onRequest}, which must then {@link #bind} or {@link #refuse} it; {@code onEnd}
     * runs if it ends first.
     */
    PreviewStream(String spareId, AppPool pool, Supplier<HttpClient> webSockets,
                  BiConsumer<PreviewStream, OpenChannel> onRequest,
                  Runnable onEnd) {
        this.channelId = spareId;
        this.workspaceId = "";
        this.pool = pool;
        this.webSockets = webSockets;
        this.onRequest = onRequest;
        this.onEnd = onEnd;
        this.requestBody = new RequestBody(size -> acknowledge(ProtocolVersions.channelCost(size)));
    }

    String workspaceId() {
        return workspaceId;
    }

    /**
     * Dials the channel stream, names the channel, and makes the request to the app: an HTTP
     * request on the caller's thread, which it holds until the response ended.
     */
    void dial(Channel gateway) {
        // Every callback of this stream (frames, acks, the transport turning ready) only hands work
        // on without blocking: queue a frame, wake the thread relaying the response, feed the
        // request body. So it runs on the transport's thread, sparing a hand-off to gRPC's executor.
        stub(gateway).channel(this);
        outbox.started();
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build());
        if (request.getWebsocket()) {
            openWebSocket();
        } else {
            exchange();
        }
    }

    /**
     * The stub a channel stream is dialled with: callbacks on the transport's thread, and room for
     * {@link #ON_READY_BYTES} unsent in gRPC before the stream stops being ready.
     */
    static AgentTunnelGrpc.AgentTunnelStub stub(Channel gateway) {
        return AgentTunnelGrpc.newStub(gateway).withExecutor(Runnable::run).withOnReadyThreshold(ON_READY_BYTES);
    }

    /** 1.5: dials a spare stream and names it one; the gateway keeps it until a request needs it. */
    void dialSpare(Channel gateway) {
        stub(gateway).channel(this);
        outbox.started();
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId).setSpare(true)).build());
    }

    /**
     * 1.5: this spare takes the request it was given, to {@code app}: accepts it towards the
     * gateway (ChannelOpen naming the request's channel id) and makes the request to the app: an
     * HTTP request on the caller's thread, which it holds until the response ended. Returns false
     * if the stream ended before.
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
            exchange();
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

    /**
     * The request, made on the caller's thread (one of the proxy's), which it holds until the
     * response ended: head (and body) to the app over a kept-alive connection, then the response
     * head and body back to the gateway as the credit allows.
     */
    private void exchange() {
        try {
            exchangeNow();
        } catch (RuntimeException e) {
            log.warn("preview channel {}: {}", channelId, e.toString(), e);
            dropConnection();
            fail("the agent failed relaying the request: " + describe(e));
        }
    }

    private void exchangeNow() {
        String method = request.getMethod();
        String target = request.getTarget().isEmpty() ? "/" : request.getTarget();
        if (!AppConnection.isToken(method, 0, method.length())) {
            fail("the request method is not valid");
            return;
        }
        if (!target.startsWith("/") || !printableTarget(target)) {
            fail("the request target is not a valid URI");
            return;
        }
        long contentLength = -1;
        boolean hostGiven = false;
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (HttpHeader header : request.getHeadersList()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(header.getValue().strip());
                } catch (NumberFormatException e) {
                    contentLength = -1;
                }
            }
            if (NOT_SENT.contains(name) || !AppConnection.isToken(name, 0, name.length())
                    || !validValue(header.getValue()) || (name.equals("host") && hostGiven)) {
                continue; // what the app must not see, or cannot be sent as it is
            }
            hostGiven |= name.equals("host");
            head.append(header.getName()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!hostGiven) {
            String host = app.getHostString();
            head.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(app.getPort()).append("\r\n");
        }
        boolean hasBody = !(contentLength == 0 || (contentLength < 0 && BODILESS.contains(method)));
        boolean chunked = hasBody && contentLength < 0;
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (hasBody) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        } else if (!BODILESS.contains(method)) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        String key = AppConnection.key(app);

        // A kept-alive connection the app closed meanwhile fails before it answers: once, the
        // request goes again on a new connection if nothing of its body was taken yet.
        for (int attempt = 0; ; attempt++) {
            AppConnection c = attempt == 0 ? pool.take(key, hasBody ? BODY_REUSE_NANOS : AppPool.MAX_IDLE_NANOS) : null;
            if (c == null) {
                try {
                    c = AppConnection.open(app, CONNECT_TIMEOUT_MILLIS);
                } catch (IOException e) {
                    fail(unreachable(e));
                    return;
                }
            }
            connection = c;
            if (ended) {
                dropConnection();
                return;
            }
            boolean bodyTaken = false;
            IOException writeFailed = null;
            try {
                c.write(headBytes);
                if (hasBody) {
                    bodyTaken = true;
                    writeBody(c, chunked, contentLength);
                }
            } catch (BodyMismatch e) {
                dropConnection();
                fail(e.getMessage());
                return;
            } catch (IOException e) {
                writeFailed = e;
            }
            if (ended) {
                dropConnection();
                return;
            }
            AppConnection.Head response;
            try {
                response = c.readHead();
            } catch (AppConnection.Malformed e) {
                dropConnection();
                fail(e.getMessage());
                return;
            } catch (IOException e) {
                dropConnection();
                if (ended) {
                    return;
                }
                if (c.reused() && !c.answered() && !bodyTaken && attempt == 0) {
                    continue;
                }
                IOException cause = writeFailed != null ? writeFailed : e;
                fail(c.answered() ? "the app's response broke off: " + describe(cause)
                        : "the app on port " + port + " closed the connection without answering: " + describe(cause));
                return;
            }
            relayResponse(c, method, response, writeFailed == null);
            return;
        }
    }

    /** The request body as the gateway sends it, chunked if its length is not known. */
    private void writeBody(AppConnection c, boolean chunked, long contentLength) throws IOException {
        long written = 0;
        while (true) {
            ByteBuffer chunk = requestBody.take();
            if (chunk == null) {
                break;
            }
            int length = chunk.remaining();
            if (length == 0) {
                continue;
            }
            if (!chunked && written + length > contentLength) {
                throw new BodyMismatch("the request body is longer than its Content-Length");
            }
            if (chunked) {
                c.write(AppConnection.latin1(Integer.toHexString(length) + "\r\n"));
            }
            if (chunk.hasArray()) {
                c.write(chunk.array(), chunk.arrayOffset() + chunk.position(), length);
            } else {
                byte[] bytes = new byte[length];
                chunk.get(bytes);
                c.write(bytes);
            }
            if (chunked) {
                c.write(CRLF);
            }
            written += length;
        }
        if (chunked) {
            c.write(LAST_CHUNK);
        } else if (written != contentLength) {
            throw new BodyMismatch("the request body is shorter than its Content-Length");
        }
    }

    /** The request body does not match what its head said: the request is not sent on. */
    private static final class BodyMismatch extends IOException {
        BodyMismatch(String message) {
            super(message);
        }
    }

    /**
     * The app's response head, then its body in frames of up to {@link ProtocolVersions#PREVIEW_MAX_FRAME_BYTES}
     * as the credit allows; the connection goes back to the pool if the app and the request leave
     * it fit for another request.
     */
    private void relayResponse(AppConnection c, String method, AppConnection.Head response, boolean requestComplete) {
        long[] length = {0};
        AppConnection.Framing framing;
        try {
            if (response.status() == 101) {
                throw new AppConnection.Malformed("the app switched protocols on a request that asked for no upgrade");
            }
            framing = AppConnection.framing(method, response, length);
        } catch (AppConnection.Malformed e) {
            dropConnection();
            fail(e.getMessage());
            return;
        }
        offer(ChannelFrame.newBuilder().setResponse(responseHead(response, framing)).build());
        boolean reusable = requestComplete && response.http11() && framing != AppConnection.Framing.CLOSE
                && !response.hasToken("connection", "close");
        try {
            switch (framing) {
                case NONE -> {
                }
                case LENGTH -> relayBody(c, length[0]);
                case CHUNKED -> {
                    long size;
                    while ((size = c.readChunkSize()) > 0) {
                        if (!relayBody(c, size)) {
                            return;
                        }
                        c.readChunkEnd();
                    }
                }
                case CLOSE -> relayBody(c, Long.MAX_VALUE);
            }
        } catch (IOException e) {
            dropConnection();
            fail("the app's response broke off: " + describe(e));
            return;
        }
        if (ended) {
            dropConnection();
            return;
        }
        // Back in the pool before the gateway hears of the end, so the browser's next request finds it.
        if (reusable) {
            connection = null;
            pool.give(c);
        } else {
            dropConnection();
        }
        offer(ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
        finish();
    }

    /**
     * Relays {@code remaining} bytes of body ({@link Long#MAX_VALUE}: to the end of the connection),
     * a frame at a time: each frame takes what arrived, without waiting to fill it, so a stream
     * (server-sent events) goes on as the app writes it. False if the stream ended meanwhile.
     */
    private boolean relayBody(AppConnection c, long remaining) throws IOException {
        boolean toClose = remaining == Long.MAX_VALUE;
        while (remaining > 0) {
            if (!awaitCredit()) {
                return false;
            }
            int want = (int) Math.min(remaining, ProtocolVersions.PREVIEW_MAX_FRAME_BYTES);
            if (toClose) {
                want = Math.max(Math.min(want, c.available()), Math.min(want, 16 * 1024));
            }
            byte[] frame = new byte[want];
            int filled = c.read(frame, 0, want);
            if (filled < 0) {
                if (toClose) {
                    return true;
                }
                throw new EOFException("the app closed the connection " + remaining + " bytes before the body's end");
            }
            while (filled < want) {
                int more = c.available();
                if (more <= 0) {
                    break;
                }
                int n = c.read(frame, filled, Math.min(more, want - filled));
                if (n <= 0) {
                    break;
                }
                filled += n;
            }
            if (!toClose) {
                remaining -= filled;
            }
            sendFrame(filled == want || filled > 4096 ? frame : Arrays.copyOf(frame, filled), filled);
        }
        return true;
    }

    /** One data frame of {@code length} bytes of {@code frame}, whose array is ours and never written again. */
    private void sendFrame(byte[] frame, int length) {
        synchronized (credit) {
            unacked += ProtocolVersions.channelCost(length);
        }
        offer(ChannelFrame.newBuilder().setData(UnsafeByteOperations.unsafeWrap(frame, 0, length)).build());
    }

    /** Waits until the credit allows another frame; false if the stream ended. */
    private boolean awaitCredit() {
        synchronized (credit) {
            while (!ended && !hasCredit()) {
                try {
                    credit.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !ended;
        }
    }

    private void dropConnection() {
        AppConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    private static boolean printableTarget(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                return false;
            }
        }
        return true;
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
        WebSocket.Builder builder = webSockets.get().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
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
        BiConsumer<PreviewStream, OpenChannel> waiting = onRequest;
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
            credit.notifyAll(); // the thread relaying a response body, if it waits for credit
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
        synchronized (credit) {
            credit.notifyAll();
        }
        dropConnection(); // ends a read or write blocked on the app

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

    private static void addHeader(BiConsumer<String, String> add, HttpHeader header) {
        try {
            add.accept(header.getName(), header.getValue());
        } catch (IllegalArgumentException restricted) {
            // A header the JDK client will not send (or cannot: a malformed name); the app does without.
        }
    }

    /** The app's response head for the gateway, without what belongs to the hop from the app. */
    private static HttpResponseHead responseHead(AppConnection.Head response, AppConnection.Framing framing) {
        HttpResponseHead.Builder head = HttpResponseHead.newBuilder().setStatus(response.status());
        Set<String> listed = Set.of();
        List<String> connection = response.values("connection");
        if (!connection.isEmpty()) {
            listed = new HashSet<>();
            for (String value : connection) {
                for (String token : value.split(",")) {
                    listed.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String[] header : response.headers()) {
            String name = header[0].toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || listed.contains(name)
                    || (name.equals("content-length") && framing != AppConnection.Framing.LENGTH
                    && framing != AppConnection.Framing.NONE)) {
                continue;
            }
            head.addHeaders(HttpHeader.newBuilder().setName(header[0]).setValue(header[1]));
        }
        return head.build();
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
        if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
            return "the app on port " + port + " did not answer in time";
        }
        return "the app on port " + port + " could not be reached: " + describe(cause);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
