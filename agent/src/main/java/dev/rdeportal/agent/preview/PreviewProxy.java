package dev.rdeportal.agent.preview;

import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.Channel;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves preview channels: each one HTTP request or WebSocket to a workspace port, made with the
 * JDK's HTTP client (HTTP/1.1, no redirects followed, no cookies kept, so every answer goes back to
 * the browser as the app gave it). At most {@code maxStreams} run at once.
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
    private final HttpClient client;
    private final Map<String, PreviewStream> streams = new ConcurrentHashMap<>();

    private PreviewProxy(WorkspaceRuntime runtime, int maxStreams) {
        this.runtime = runtime;
        this.maxStreams = maxStreams;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rde-preview");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(threads)
                .build();
    }

    public static PreviewProxy create(WorkspaceRuntime runtime) {
        return new PreviewProxy(runtime, 1024);
    }

    /**
     * Sets the system properties the JDK's HTTP client reads once, when its classes load: that it
     * may send our Host header, and its read buffer size ({@link #READ_BUFFER_BYTES}) unless set.
     */
    public static void allowHostHeader() {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(READ_BUFFER_BYTES));
        }
        String allowed = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "");
        if (!allowed.toLowerCase(java.util.Locale.ROOT).contains("host")) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", allowed.isBlank() ? "host" : allowed + ",host");
        }
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
        if (!request.getPublishId().isEmpty()) {
            openPublished(request, gateway, refuse);
            return;
        }
        Optional<InetSocketAddress> address;
        try {
            address = runtime.portAddress(request.getWorkspaceId(), request.getPort());
        } catch (RuntimeException e) {
            log.warn("preview of port {} of workspace {}: {}", request.getPort(), request.getWorkspaceId(), e.toString());
            refuse.accept("the workspace's port " + request.getPort() + " cannot be reached: " + e.getMessage());
            return;
        }
        if (address.isEmpty()) {
            refuse.accept("workspace " + request.getWorkspaceId() + " is not running here or has no port "
                    + request.getPort());
            return;
        }
        String channelId = request.getChannelId();
        PreviewStream stream = new PreviewStream(channelId, request.getWorkspaceId(), address.get(), request.getPort(),
                request.getHttp(), client, () -> streams.remove(channelId));
        streams.put(channelId, stream);
        stream.dial(gateway);
    }

    /**
     * 1.4: a request to a published app, at the endpoint its runtime reports. Its streams are keyed
     * by the publish id, so a stopping workspace never ends them: the app runs apart from it.
     */
    private void openPublished(OpenChannel request, Channel gateway, Consumer<String> refuse) {
        String publishId = request.getPublishId();
        Optional<PublishState> app;
        try {
            app = runtime.published().stream().filter(p -> p.publishId().equals(publishId)).findFirst();
        } catch (RuntimeException e) {
            log.warn("published app {}: {}", publishId, e.toString());
            refuse.accept("the published app cannot be reached: " + e.getMessage());
            return;
        }
        if (app.isEmpty() || app.get().phase() != WorkspacePhase.RUNNING || app.get().endpoint().isEmpty()) {
            refuse.accept("the published app is not running on this agent"
                    + app.map(a -> " (" + a.phase().name().toLowerCase() + (a.reason().isEmpty() ? "" : ": " + a.reason()) + ")")
                    .orElse(""));
            return;
        }
        InetSocketAddress address = endpoint(app.get().endpoint());
        String channelId = request.getChannelId();
        PreviewStream stream = new PreviewStream(channelId, publishId, address, address.getPort(), request.getHttp(),
                client, () -> streams.remove(channelId));
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
        streams.values().forEach(s -> s.abort("agent is shutting down"));
        threads.shutdownNow();
    }
}
