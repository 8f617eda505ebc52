package dev.rdeportal.portal.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A terminal WebSocket client as a browser tab would be one: binary frames are what the terminal
 * shows, text frames are control JSON. {@link #pause()} stops reading, like a tab that cannot keep up.
 */
public final class TerminalClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final BlockingQueue<JsonNode> control = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private volatile boolean paused;
    private volatile WebSocket socket;

    public static TerminalClient connect(String baseUrl, String workspaceId, String origin, String query) {
        TerminalClient client = new TerminalClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        URI uri = URI.create(baseUrl.replace("http://", "ws://") + "/api/v1/workspaces/" + workspaceId + "/terminal"
                + (query == null ? "" : "?" + query));
        client.socket = builder.buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** Sends the auth message; {@code extra} is more JSON fields, e.g. {@code ,"session":"ts-…"}. */
    public TerminalClient auth(String ticket, String extra) {
        return sendText("{\"type\":\"auth\",\"ticket\":\"" + ticket + "\"" + (extra == null ? "" : extra) + "}");
    }

    public TerminalClient sendText(String json) {
        socket.sendText(json, true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    public TerminalClient type(String keys) {
        socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    /** The next control message, which must be of {@code type}. */
    public JsonNode await(String type, Duration timeout) throws InterruptedException {
        JsonNode message = control.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no '" + type + "' message within " + timeout + "; output so far: " + output());
        }
        if (!type.equals(message.path("type").asText())) {
            throw new AssertionError("expected a '" + type + "' message, got " + message);
        }
        return message;
    }

    /** Waits until the terminal has shown {@code expected}. */
    public void awaitOutput(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("terminal did not show '" + expected + "' within " + timeout + "; it showed: " + output());
    }

    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    public void pause() {
        paused = true;
    }

    /** The close code the server sent, once it closed. */
    public int awaitClosed(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            try {
                control.add(JSON.readTree(text.toString()));
            } catch (Exception e) {
                control.add(JSON.createObjectNode().put("type", "unparsable").put("text", text.toString()));
            }
            text.setLength(0);
        }
        next(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (output) {
            output.writeBytes(bytes);
            if (output.size() > 4 * 1024 * 1024) {
                // Keep the tail only: a flooding terminal must not fill the test's memory.
                byte[] all = output.toByteArray();
                output.reset();
                output.write(all, all.length - 64 * 1024, 64 * 1024);
            }
        }
        next(webSocket);
        return null;
    }

    private void next(WebSocket webSocket) {
        if (!paused) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null && !s.isOutputClosed()) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (s != null) {
            s.abort();
        }
    }
}
