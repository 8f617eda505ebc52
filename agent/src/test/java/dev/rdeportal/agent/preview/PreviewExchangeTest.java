package dev.rdeportal.agent.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.HttpHeader;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's HTTP/1.1 exchange with an app over a raw socket: what reaches the app, how each kind
 * of answer comes back as frames, connections kept alive and reused, and malformed or missing
 * answers ending the channel with a close before any response head (the gateway's 502), never a hang.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PreviewExchangeTest {

    /** One Channel stream as the gateway sees it. */
    static final class Stream {
        final BlockingQueue<ChannelFrame> frames = new LinkedBlockingQueue<>();
        volatile StreamObserver<ChannelFrame> toAgent;

        ChannelFrame next() throws InterruptedException {
            ChannelFrame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 10 s");
            }
            return frame;
        }
    }

    /** What came back on a channel. */
    record Answer(ChannelFrame head, byte[] body, ChannelFrame last) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** A scripted app: reads each request (head and body) and writes what {@code script} says, on one connection after another. */
    static final class RawApp implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        /** Connections the agent ended (end of stream or reset), seen by the app's reading thread. */
        final List<Socket> endedByAgent = new CopyOnWriteArrayList<>();
        volatile Function<String, byte[]> script;

        RawApp(Function<String, byte[]> script) throws IOException {
            this.script = script;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        sockets.add(s);
                        Thread t = new Thread(() -> serve(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        endedByAgent.add(s);
                        return;
                    }
                    String lower = head.toLowerCase();
                    StringBuilder body = new StringBuilder();
                    if (lower.contains("transfer-encoding: chunked")) {
                        while (true) {
                            int size = Integer.parseInt(line(in).strip(), 16);
                            if (size == 0) {
                                line(in);
                                break;
                            }
                            body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
                            line(in);
                        }
                    } else {
                        int at = lower.indexOf("content-length: ");
                        if (at >= 0) {
                            int n = Integer.parseInt(lower.substring(at + 16, lower.indexOf("\r\n", at)));
                            body.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
                        }
                    }
                    String request = head + body;
                    requests.add(request);
                    byte[] answer = script.apply(request);
                    if (answer == null) {
                        return; // close without answering
                    }
                    out.write(answer);
                    out.flush();
                    if (new String(answer, StandardCharsets.ISO_8859_1).contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                endedByAgent.add(s); // reset by the agent, or closed by the test
            } catch (RuntimeException e) {
                // the test ends the connection
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                b.append((char) c);
            }
            return b.toString();
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                    return b.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private final BlockingQueue<Stream> dialled = new LinkedBlockingQueue<>();
    private final String name = InProcessServerBuilder.generateName();
    private Server server;
    private ManagedChannel gateway;
    private PreviewProxy proxy;
    private RawApp app;
    private final WorkspaceRuntime runtime = mock(WorkspaceRuntime.class);
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = InProcessServerBuilder.forName(name).addService(new AgentTunnelGrpc.AgentTunnelImplBase() {
            @Override
            public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> toAgent) {
                Stream stream = new Stream();
                stream.toAgent = toAgent;
                dialled.add(stream);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChannelFrame frame) {
                        stream.frames.add(frame);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        toAgent.onCompleted();
                    }
                };
            }
        }).build().start();
        gateway = InProcessChannelBuilder.forName(name).build();
        proxy = PreviewProxy.create(runtime, 0);
        proxy.connected(gateway, 4);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (app != null) {
            app.close();
        }
    }

    private RawApp app(Function<String, byte[]> script) throws IOException {
        app = new RawApp(script);
        when(runtime.portAddress(eq("w1"), anyInt())).thenReturn(Optional.of(
                InetSocketAddress.createUnresolved("127.0.0.1", app.port())));
        return app;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static HttpRequestHead.Builder get(String target) {
        return HttpRequestHead.newBuilder().setMethod("GET").setTarget(target)
                .addHeaders(HttpHeader.newBuilder().setName("Host").setValue("3000-w1.preview.localhost"));
    }

    /** Opens a channel for {@code head}, sends {@code body} chunks (null: none) and End, and reads the answer. */
    private Stream open(HttpRequestHead head, int port) throws InterruptedException {
        OpenChannel request = OpenChannel.newBuilder().setChannelId("ch-" + ids.incrementAndGet()).setWorkspaceId("w1")
                .setPort(port).setKind(ChannelKind.CHANNEL_KIND_PREVIEW).setUser("alice@example.com").setHttp(head).build();
        List<Object> refused = new ArrayList<>();
        proxy.open(request, gateway, refused::add);
        Stream stream = dialled.poll(10, TimeUnit.SECONDS);
        assertThat(stream).as("a channel dialled").isNotNull();
        assertThat(stream.next().hasOpen()).isTrue();
        return stream;
    }

    private Answer exchange(HttpRequestHead head, String... body) throws InterruptedException {
        Stream stream = open(head, 3000);
        for (String chunk : body) {
            send(stream, ChannelFrame.newBuilder().setData(ByteString.copyFromUtf8(chunk)).build());
        }
        send(stream, ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
        return answer(stream);
    }

    /** A frame to the agent, unless it already ended the stream (it does not wait for a bodiless request's End). */
    private static void send(Stream stream, ChannelFrame frame) {
        try {
            stream.toAgent.onNext(frame);
        } catch (IllegalStateException ended) {
            // the agent answered and closed first
        }
    }

    private static Answer answer(Stream stream) throws InterruptedException {
        ChannelFrame first = stream.next();
        if (!first.hasResponse()) {
            return new Answer(null, new byte[0], first);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChannelFrame frame;
        long unacked = 0;
        while ((frame = stream.next()).hasData()) {
            body.writeBytes(frame.getData().toByteArray());
            unacked += Math.max(256, frame.getData().size());
            if (unacked > 256 * 1024) {
                send(stream, ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes((int) unacked)).build());
                unacked = 0;
            }
        }
        return new Answer(first, body.toByteArray(), frame);
    }

    @Test
    void theAppSeesTheRequestAsTheBrowserSentItWithThePreviewHostAndNoHopByHopHeaders() throws Exception {
        app(r -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        Answer a = exchange(get("/p?q=1").addHeaders(HttpHeader.newBuilder().setName("Connection").setValue("keep-alive"))
                .addHeaders(HttpHeader.newBuilder().setName("Keep-Alive").setValue("timeout=5"))
                .addHeaders(HttpHeader.newBuilder().setName("Upgrade").setValue("h2c"))
                .addHeaders(HttpHeader.newBuilder().setName("X-Evil").setValue("a\r\nInjected: yes"))
                .addHeaders(HttpHeader.newBuilder().setName("Accept").setValue("*/*")).build());
        assertThat(a.head().getResponse().getStatus()).isEqualTo(200);
        assertThat(a.text()).isEqualTo("ok");
        assertThat(a.last().hasEnd()).isTrue();
        String seen = app.requests.get(0);
        assertThat(seen).startsWith("GET /p?q=1 HTTP/1.1\r\n").contains("Host: 3000-w1.preview.localhost\r\n")
                .contains("Accept: */*\r\n").doesNotContain("Keep-Alive").doesNotContain("Upgrade")
                .doesNotContain("Connection").doesNotContain("Injected").doesNotContain("X-Evil");
    }

    @Test
    void connectionsAreKeptAliveAndReused() throws Exception {
        app(r -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        for (int i = 0; i < 5; i++) {
            Answer a = exchange(get("/" + i).build());
            assertThat(a.text()).isEqualTo("hello");
            assertThat(a.last().hasEnd()).isTrue();
        }
        assertThat(app.connections.get()).isEqualTo(1);
        assertThat(app.requests).hasSize(5);
    }

    @Test
    void aConnectionTheAppClosesIsNotReusedAndAStaleOneIsRetried() throws Exception {
        app(r -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"));
        assertThat(exchange(get("/").build()).text()).isEqualTo("x");
        assertThat(exchange(get("/").build()).text()).isEqualTo("x");
        assertThat(app.connections.get()).isEqualTo(2);

        // The app closes a kept-alive connection while it lies idle: the next request goes on a new one.
        app.script = r -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ny");
        assertThat(exchange(get("/").build()).text()).isEqualTo("y");
        for (Socket s : app.sockets) {
            s.close();
        }
        Thread.sleep(100);
        Answer again = exchange(get("/").build());
        assertThat(again.text()).isEqualTo("y");
        assertThat(again.last().hasEnd()).isTrue();
    }

    @Test
    void chunkedAndCloseDelimitedBodiesComeThroughWhole() throws Exception {
        app(r -> r.startsWith("GET /chunked")
                ? bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nT: x\r\n\r\n")
                : bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nto the end"));
        Answer chunked = exchange(get("/chunked").build());
        assertThat(chunked.text()).isEqualTo("abcdefg");
        assertThat(chunked.head().getResponse().getHeadersList()).extracting(HttpHeader::getName)
                .containsExactly("X-A"); // no Transfer-Encoding: the gateway frames the body its own way
        assertThat(chunked.last().hasEnd()).isTrue();
        Answer toClose = exchange(get("/close").build());
        assertThat(toClose.text()).isEqualTo("to the end");
        assertThat(toClose.last().hasEnd()).isTrue();
        // the chunked one's connection was reused, the close-delimited one was not kept
        assertThat(app.connections.get()).isEqualTo(1);
        assertThat(exchange(get("/chunked").build()).text()).isEqualTo("abcdefg");
        assertThat(app.connections.get()).isEqualTo(2);
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBodyAndKeepTheConnection() throws Exception {
        app(r -> r.startsWith("HEAD") ? bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                : r.startsWith("GET /204") ? bytes("HTTP/1.1 204 No Content\r\n\r\n")
                : bytes("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"));
        Answer head = exchange(get("/").setMethod("HEAD").build());
        assertThat(head.head().getResponse().getStatus()).isEqualTo(200);
        assertThat(head.head().getResponse().getHeadersList()).extracting(HttpHeader::getValue).contains("1000");
        assertThat(head.body()).isEmpty();
        assertThat(exchange(get("/204").build()).head().getResponse().getStatus()).isEqualTo(204);
        Answer notModified = exchange(get("/304").build());
        assertThat(notModified.head().getResponse().getStatus()).isEqualTo(304);
        assertThat(notModified.last().hasEnd()).isTrue();
        assertThat(app.connections.get()).isEqualTo(1);
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        app(r -> bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"));
        Answer a = exchange(get("/").build());
        assertThat(a.head().getResponse().getStatus()).isEqualTo(201);
        assertThat(a.text()).isEqualTo("ok");
    }

    @Test
    void requestBodiesStreamWithTheirLengthOrChunked() throws Exception {
        app(r -> {
            String body = r.substring(r.indexOf("\r\n\r\n") + 4);
            return bytes("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        });
        Answer sized = exchange(get("/up").setMethod("POST")
                .addHeaders(HttpHeader.newBuilder().setName("Content-Length").setValue("11")).build(), "hello", " world");
        assertThat(sized.text()).isEqualTo("hello world");
        assertThat(app.requests.get(0)).contains("Content-Length: 11\r\n").doesNotContain("Transfer-Encoding");
        Answer chunked = exchange(get("/up").setMethod("PUT").build(), "a", "bc", "def");
        assertThat(chunked.text()).isEqualTo("abcdef");
        assertThat(app.requests.get(1)).contains("Transfer-Encoding: chunked\r\n");
        Answer empty = exchange(get("/up").setMethod("POST")
                .addHeaders(HttpHeader.newBuilder().setName("Content-Length").setValue("0")).build());
        assertThat(empty.text()).isEmpty();
        assertThat(app.requests.get(2)).contains("Content-Length: 0\r\n");
    }

    @Test
    void aBodyShorterThanItsLengthIsNotSentOnAsIfWhole() throws Exception {
        app(r -> bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        Answer a = exchange(get("/up").setMethod("POST")
                .addHeaders(HttpHeader.newBuilder().setName("Content-Length").setValue("10")).build(), "short");
        assertThat(a.head()).isNull();
        assertThat(a.last().hasClose()).isTrue();
        assertThat(a.last().getClose().getReason()).contains("shorter than its Content-Length");
    }

    @Test
    void aBigBodyComesDownInFramesAsTheCreditAllows() throws Exception {
        int size = 5 * 1024 * 1024 + 17;
        byte[] big = new byte[size];
        for (int i = 0; i < size; i++) {
            big[i] = (byte) (i % 251);
        }
        app(r -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n"));
            out.writeBytes(big);
            return out.toByteArray();
        });
        Answer a = exchange(get("/big").build());
        assertThat(a.body()).isEqualTo(big);
        assertThat(a.last().hasEnd()).isTrue();
    }

    @Test
    void withoutAcksTheAgentStopsReadingAtTheWindow() throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        app(r -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n"));
            out.writeBytes(big);
            return out.toByteArray();
        });
        Stream stream = open(get("/big").build(), 3000);
        send(stream, ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
        assertThat(stream.next().hasResponse()).isTrue();
        long received = 0;
        ChannelFrame frame;
        while ((frame = stream.frames.poll(1, TimeUnit.SECONDS)) != null) {
            received += frame.getData().size();
        }
        assertThat(received).isGreaterThan(0).isLessThanOrEqualTo(ProtocolVersions.PREVIEW_WINDOW_BYTES
                + ProtocolVersions.PREVIEW_MAX_FRAME_BYTES);
        // credit given: the rest follows
        stream.toAgent.onNext(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes((int) received)).build());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        long unacked = 0;
        while ((frame = stream.next()).hasData()) {
            rest.writeBytes(frame.getData().toByteArray());
            unacked += frame.getData().size();
            if (unacked > 256 * 1024) {
                send(stream, ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes((int) unacked)).build());
                unacked = 0;
            }
        }
        assertThat(received + rest.size()).isEqualTo(big.length);
        assertThat(frame.hasEnd()).isTrue();
    }

    @Test
    void malformedAnswersEndTheChannelBeforeAnyHeadAndNeverHang() throws Exception {
        String[] answers = {
                "garbage\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
                "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n", // closes mid-head
        };
        for (String answer : answers) {
            if (app != null) {
                app.close();
            }
            app(r -> bytes(answer));
            long started = System.nanoTime();
            Answer a = exchange(get("/").build());
            assertThat(a.head()).as(answer).isNull();
            assertThat(a.last().hasClose()).as(answer).isTrue();
            assertThat(a.last().getClose().getReason()).as(answer).isNotBlank();
            assertThat(System.nanoTime() - started).as(answer).isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void anAppThatClosesWithoutAnsweringOrBreaksOffIsReported() throws Exception {
        app(r -> r.startsWith("GET /none") ? null
                : r.startsWith("GET /short") ? bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly this")
                : bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nabc"));
        Answer none = exchange(get("/none").build());
        assertThat(none.head()).isNull();
        assertThat(none.last().getClose().getReason()).contains("closed the connection without answering");
        Answer shortBody = exchange(get("/short").build());
        assertThat(shortBody.head().getResponse().getStatus()).isEqualTo(200);
        assertThat(shortBody.last().hasClose()).isTrue();
        assertThat(shortBody.last().getClose().getReason()).contains("broke off");
        Answer badChunk = exchange(get("/chunk").build());
        assertThat(badChunk.last().hasClose()).isTrue();
    }

    @Test
    void nothingListeningIsReportedAsSuch() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        when(runtime.portAddress(eq("w1"), anyInt())).thenReturn(Optional.of(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort)));
        Stream stream = open(get("/").build(), 8001);
        send(stream, ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
        ChannelFrame close = stream.next();
        assertThat(close.hasClose()).isTrue();
        assertThat(close.getClose().getReason()).contains("nothing is listening on port 8001");
    }

    @Test
    void aStreamingResponseGoesOnAsTheAppWritesAndEndsWhenTheGatewayLeaves() throws Exception {
        app = new RawApp(r -> null);
        when(runtime.portAddress(eq("w1"), anyInt())).thenReturn(Optional.of(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port())));
        app.script = r -> {
            // written by hand below; the scripted answer is only the head
            return bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n");
        };
        Stream stream = open(get("/sse").build(), 3000);
        send(stream, ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
        assertThat(stream.next().getResponse().getStatus()).isEqualTo(200);
        assertThat(stream.next().getData().toStringUtf8()).isEqualTo("data: 1\n\n");
        // the app keeps the connection open; the browser leaves: the agent lets go of the app
        Thread.sleep(200);
        OutputStream more = app.sockets.get(0).getOutputStream();
        more.write(bytes("data: 2\n\n"));
        more.flush();
        assertThat(stream.next().getData().toStringUtf8()).isEqualTo("data: 2\n\n");
        stream.toAgent.onError(new RuntimeException("browser left"));
        // the app's own reading thread sees the agent end the connection (reading here too would race it)
        Socket socket = app.sockets.get(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!app.endedByAgent.contains(socket) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(app.endedByAgent).as("the agent closed the app's connection").contains(socket);
    }
}
