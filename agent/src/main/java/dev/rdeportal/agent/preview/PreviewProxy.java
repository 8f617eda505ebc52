package dev.rdeportal.agent.preview;

import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.Channel;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves preview channels: each one HTTP request or WebSocket to a workspace port. HTTP requests
 * go over the agent's own HTTP/1.1 connections to the app ({@link AppConnection}), kept alive
 * between requests ({@link AppPool}), one of the proxy's threads per request while it lasts; no
 * redirects followed, no cookies kept, so every answer goes back to the browser as the app gave it.
 * WebSockets go through the JDK's HTTP client. At most {@code maxStreams} run at once.
 */
public final class PreviewProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.preview");

    /**
     * The JDK client's read buffer, in bytes. Each read becomes at most one data frame, and each
     * frame costs a gRPC message through HTTP/2 and TLS on both ends: reading in the client's
     * default 16 KiB made four times as many frames as {@link ProtocolVersions#PREVIEW_MAX_FRAME_BYTES}
     * allows.
     */
    static final int READ_BUFFER_BYTES = ProtocolVersions.PREVIEW_MAX_FRAME_BYTES;

    static {
        // The app must see the preview host it is served on (dev servers check it); the JDK client
        // refuses to set Host unless told it may. Must happen before the client's classes load.
        allowHostHeader();
    }

    private final WorkspaceRuntime runtime;
    private final int maxStreams;
    private final ExecutorService threads;
    private final AppPool pool = new AppPool();
    private volatile HttpClient webSocketClient; // made on the first WebSocket
    private final Map<String, PreviewStream> streams = new ConcurrentHashMap<>();
    // 1.5: spare streams dialled ahead, waiting for a request, on the current gateway connection.
    private final int spareCount;
    private final Set<PreviewStream> spares = ConcurrentHashMap.newKeySet();
    private final AtomicLong spareIds = new AtomicLong();
    private final Object spareLock = new Object();
    private Channel spareGateway; // guarded by spareLock; null while spares are off
    private long spareGeneration; // guarded by spareLock

    private PreviewProxy(WorkspaceRuntime runtime, int maxStreams, int spareCount) {
        this.runtime = runtime;
        this.maxStreams = maxStreams;
        this.spareCount = spareCount;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rde-preview");
            t.setDaemon(true);
            return t;
        });
    }

    /** The JDK client WebSockets go through, made once. */
    private HttpClient webSockets() {
        HttpClient client = webSocketClient;
        if (client == null) {
            synchronized (this) {
                client = webSocketClient;
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(10))
                            .executor(threads)
                            .build();
                    webSocketClient = client;
                }
            }
        }
        return client;
    }

    public static PreviewProxy create(WorkspaceRuntime runtime) {
        return new PreviewProxy(runtime, 1024, DEFAULT_SPARES);
    }

    /** With {@code spareCount} spare streams (1.5) kept open per gateway connection; 0 turns them off. */
    static PreviewProxy create(WorkspaceRuntime runtime, int spareCount) {
        return new PreviewProxy(runtime, 1024, spareCount);
    }

    /**
     * Spare preview streams kept open (1.5): a request takes one instead of asking over the control
     * stream and dialling a stream of its own; each taken spare is replaced at once. Eight cover a
     * browser's six connections per origin with room for a WebSocket or two.
     */
    static final int DEFAULT_SPARES = 8;

    /**
     * Sets the system properties the JDK's HTTP client (WebSockets) reads once, when its classes
     * load: that it may send our Host header, and its read buffer size ({@link #READ_BUFFER_BYTES}) unless set.
     */
    public static void allowHostHeader() {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(READ_BUFFER_BYTES));
        }
        String allowed = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "");
        if (!allowed.toLowerCase(Locale.ROOT).contains("host")) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", allowed.isBlank() ? "host" : allowed + ",host");
        }
    }

    // ---- 1.5: spare streams ----------------------------------------------------------------------

    /**
     * The control stream was welcomed with {@code protocolMinor}: from 1.5 on, spare streams are
     * kept open on {@code gateway} until {@link #disconnected}.
     */
    public void connected(Channel gateway, int protocolMinor) {
        synchronized (spareLock) {
            spareGeneration++;
            spareGateway = protocolMinor >= ProtocolVersions.SPARE_PREVIEW_MINOR && spareCount > 0 ? gateway : null;
        }
        dropSpares();
        if (protocolMinor >= ProtocolVersions.SPARE_PREVIEW_MINOR && spareCount > 0) {
            log.info("keeping {} spare preview streams open (protocol 1.{})", spareCount, protocolMinor);
        }
        topUpSpares();
    }

    /** The control stream ended: no more spares on its connection; the idle ones are given up. */
    public void disconnected() {
        synchronized (spareLock) {
            spareGeneration++;
            spareGateway = null;
        }
        dropSpares();
    }

    private void dropSpares() {
        for (PreviewStream spare : spares) {
            spares.remove(spare);
            spare.abort("the tunnel reconnected");
        }
    }

    /** Dials spares until {@link #spareCount} are open on the current connection. */
    private void topUpSpares() {
        while (true) {
            Channel gateway;
            PreviewStream spare;
            synchronized (spareLock) {
                gateway = spareGateway;
                long generation = spareGeneration;
                if (gateway == null || spares.size() >= spareCount || streams.size() >= maxStreams) {
                    return;
                }
                PreviewStream[] self = new PreviewStream[1];
                spare = new PreviewStream("spare-" + spareIds.incrementAndGet(), pool, this::webSockets,
                        this::spareTaken, () -> spareEnded(self[0], generation));
                self[0] = spare;
                spares.add(spare); // counted before it is dialled, so concurrent top-ups never overshoot
            }
            try {
                spare.dialSpare(gateway);
            } catch (RuntimeException e) {
                spares.remove(spare);
                log.debug("dialling a spare preview stream failed: {}", e.toString());
                return;
            }
        }
    }

    /** A spare ended without a request (the gateway refused it, or the connection went): dialled again a little later. */
    private void spareEnded(PreviewStream spare, long generation) {
        if (!spares.remove(spare)) {
            return;
        }
        synchronized (spareLock) {
            if (spareGeneration != generation || spareGateway == null) {
                return;
            }
        }
        try {
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, threads).execute(this::topUpSpares);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * The gateway gave a spare its request (on the transport's thread): served on ours, and the
     * spare replaced right here. Dialled on the transport's thread, the replacement goes out in the
     * same flush as whatever this turn of the event loop writes, where dialling it from the thread
     * that serves the request (once the request was with the app) woke the event loop, and the
     * gateway's, once more per request.
     */
    private void spareTaken(PreviewStream spare, OpenChannel request) {
        spares.remove(spare);
        try {
            threads.execute(() -> serveOnSpare(spare, request));
        } catch (RejectedExecutionException e) {
            spare.refuse("agent is shutting down");
            return;
        }
        topUpSpares();
    }

    private void serveOnSpare(PreviewStream spare, OpenChannel request) {
        if (request.getKind() != ChannelKind.CHANNEL_KIND_PREVIEW || !request.hasHttp()) {
            spare.refuse("a spare preview stream carries preview requests only");
            return;
        }
        if (streams.size() >= maxStreams) {
            spare.refuse("too many previews at once on this agent (" + maxStreams + ")");
            return;
        }
        Optional<Target> target = target(request, spare::refuse);
        if (target.isEmpty()) {
            return;
        }
        String channelId = request.getChannelId();
        streams.put(channelId, spare);
        if (!spare.bind(channelId, target.get().name(), target.get().address(), target.get().port(), request.getHttp(),
                () -> streams.remove(channelId))) {
            streams.remove(channelId);
        }
    }

    /** Where a preview request goes: a workspace port, or (1.4) a published app. */
    private record Target(String name, InetSocketAddress address, int port) {
    }

    private Optional<Target> target(OpenChannel request, Consumer<String> refuse) {
        if (!request.getPublishId().isEmpty()) {
            String publishId = request.getPublishId();
            Optional<PublishState> app;
            try {
                app = runtime.published().stream().filter(p -> p.publishId().equals(publishId)).findFirst();
            } catch (RuntimeException e) {
                log.warn("published app {}: {}", publishId, e.toString());
                refuse.accept("the published app cannot be reached: " + e.getMessage());
                return Optional.empty();
            }
            if (app.isEmpty() || app.get().phase() != WorkspacePhase.RUNNING || app.get().endpoint().isEmpty()) {
                refuse.accept("the published app is not running on this agent"
                        + app.map(a -> " (" + a.phase().name().toLowerCase() + (a.reason().isEmpty() ? "" : ": " + a.reason()) + ")")
                        .orElse(""));
                return Optional.empty();
            }
            InetSocketAddress address = endpoint(app.get().endpoint());
            return Optional.of(new Target(publishId, address, address.getPort()));
        }
        Optional<InetSocketAddress> address;
        try {
            address = runtime.portAddress(request.getWorkspaceId(), request.getPort());
        } catch (RuntimeException e) {
            log.warn("preview of port {} of workspace {}: {}", request.getPort(), request.getWorkspaceId(), e.toString());
            refuse.accept("the workspace's port " + request.getPort() + " cannot be reached: " + e.getMessage());
            return Optional.empty();
        }
        if (address.isEmpty()) {
            refuse.accept("workspace " + request.getWorkspaceId() + " is not running here or has no port "
                    + request.getPort());
            return Optional.empty();
        }
        return Optional.of(new Target(request.getWorkspaceId(), address.get(), request.getPort()));
    }

    /** Spare streams open now (1.5). */
    int spares() {
        return spares.size();
    }

    /** Opens a preview channel; never blocks the caller (the control stream's thread). */
    public void open(OpenChannel request, Channel gateway, Consumer<ChannelRefused> refuse) {
        Consumer<String> refuseWith = reason -> refuse.accept(ChannelRefused.newBuilder()
                .setChannelId(request.getChannelId()).setReason(reason).build());
        try {
            threads.execute(() -> openNow(request, gateway, refuseWith));
        } catch (RejectedExecutionException e) {
            refuseWith.accept("agent is shutting down");
        }
    }

    private void openNow(OpenChannel request, Channel gateway, Consumer<String> refuse) {
        if (!request.hasHttp()) {
            refuse.accept("preview request names no HTTP request");
            return;
        }
        if (streams.size() >= maxStreams) {
            refuse.accept("too many previews at once on this agent (" + maxStreams + ")");
            return;
        }
        // A published app's streams (1.4) are keyed by the publish id, so a stopping workspace never
        // ends them: the app runs apart from it.
        Optional<Target> target = target(request, refuse);
        if (target.isEmpty()) {
            return;
        }
        String channelId = request.getChannelId();
        PreviewStream stream = new PreviewStream(channelId, target.get().name(), target.get().address(),
                target.get().port(), request.getHttp(), pool, this::webSockets, () -> streams.remove(channelId));
        streams.put(channelId, stream);
        stream.dial(gateway);
    }

    /** {@code host:port} as a runtime reports it; the host is resolved when the request is made. */
    static InetSocketAddress endpoint(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Ends every preview of a workspace that stopped. */
    public void workspaceEnded(String workspaceId, String reason) {
        streams.values().stream().filter(s -> s.workspaceId().equals(workspaceId)).forEach(s -> s.abort(reason));
    }

    /** Previews being relayed now. */
    int active() {
        return streams.size();
    }

    @Override
    public void close() {
        disconnected();
        streams.values().forEach(s -> s.abort("agent is shutting down"));
        pool.close();
        threads.shutdownNow();
    }
}
