package dev.rdeportal.agent.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.HttpHeader;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1.5: the agent keeps spare preview streams open for a gateway that negotiated 1.5, serves one
 * request on each, replaces each one taken, refuses what it cannot serve on the stream itself,
 * and dials none for an older gateway (which asks on the control stream, as before).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PreviewSparesTest {

    /** One Channel stream as the gateway sees it. */
    static final class Stream {
        final BlockingQueue<ChannelFrame> frames = new LinkedBlockingQueue<>();
        volatile StreamObserver<ChannelFrame> toAgent;
        volatile boolean ended;

        ChannelFrame next() throws InterruptedException {
            ChannelFrame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 10 s");
            }
            return frame;
        }
    }

    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Stream> dialled = new LinkedBlockingQueue<>();
    private final String name = InProcessServerBuilder.generateName();
    private Server server;
    private ManagedChannel gateway;
    private HttpServer app;
    private PreviewProxy proxy;
    private final WorkspaceRuntime runtime = mock(WorkspaceRuntime.class);

    @BeforeEach
    void start() throws Exception {
        server = InProcessServerBuilder.forName(name).addService(new AgentTunnelGrpc.AgentTunnelImplBase() {
            @Override
            public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> toAgent) {
                Stream stream = new Stream();
                stream.toAgent = toAgent;
                streams.add(stream);
                dialled.add(stream);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChannelFrame frame) {
                        stream.frames.add(frame);
                    }

                    @Override
                    public void onError(Throwable t) {
                        stream.ended = true;
                    }

                    @Override
                    public void onCompleted() {
                        stream.ended = true;
                        toAgent.onCompleted();
                    }
                };
            }
        }).build().start();
        gateway = InProcessChannelBuilder.forName(name).build();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", exchange -> {
            byte[] body = ("hello " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        when(runtime.portAddress(eq("w1"), eq(3000))).thenReturn(Optional.of(app.getAddress()));
        when(runtime.portAddress(eq("w2"), anyInt())).thenReturn(Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        app.stop(0);
    }

    private static OpenChannel request(String channelId, String workspaceId, String target) {
        return OpenChannel.newBuilder().setChannelId(channelId).setWorkspaceId(workspaceId).setPort(3000)
                .setKind(ChannelKind.CHANNEL_KIND_PREVIEW).setUser("alice@example.com")
                .setHttp(HttpRequestHead.newBuilder().setMethod("GET").setTarget(target)).build();
    }

    private Stream spare() throws InterruptedException {
        Stream stream = dialled.poll(10, TimeUnit.SECONDS);
        assertThat(stream).as("a spare stream dialled").isNotNull();
        ChannelFrame first = stream.next();
        assertThat(first.hasOpen()).isTrue();
        assertThat(first.getOpen().getSpare()).isTrue();
        return stream;
    }

    @Test
    void a15GatewayGetsSparesThatEachServeOneRequestAndAreReplaced() throws Exception {
        proxy = PreviewProxy.create(runtime, 2);
        proxy.connected(gateway, 5);
        Stream first = spare();
        spare();
        assertThat(dialled.poll(300, TimeUnit.MILLISECONDS)).as("no more than the spare count").isNull();

        // As the gateway sends a bodiless request: its End right behind it, not after the acceptance
        // (by then the agent may have answered and ended the stream, and the End would find it closed).
        first.toAgent.onNext(ChannelFrame.newBuilder().setRequest(request("ch-1", "w1", "/a")).build());
        first.toAgent.onNext(ChannelFrame.newBuilder().setEnd(dev.rdeportal.proto.v1.End.getDefaultInstance()).build());
        ChannelFrame accepted = first.next();
        assertThat(accepted.hasOpen()).isTrue();
        assertThat(accepted.getOpen().getChannelId()).isEqualTo("ch-1");
        assertThat(accepted.getOpen().getSpare()).isFalse();
        ChannelFrame head = first.next();
        assertThat(head.hasResponse()).isTrue();
        assertThat(head.getResponse().getStatus()).isEqualTo(200);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChannelFrame frame;
        while ((frame = first.next()).hasData()) {
            body.writeBytes(frame.getData().toByteArray());
        }
        assertThat(frame.hasEnd()).isTrue();
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("hello /a");

        // The spare taken is replaced; the used stream is never given a second request.
        spare();
        assertThat(proxy.spares()).isEqualTo(2);
    }

    @Test
    void aTakenSpareIsReplacedAtOnceNotWhenItsRequestReachedTheApp() throws Exception {
        proxy = PreviewProxy.create(runtime, 1);
        proxy.connected(gateway, 5);
        Stream taken = spare();

        // A POST whose body the gateway has not sent yet: the request cannot reach the app, and the
        // replacement is dialled all the same, on the transport's thread, as the request arrives.
        OpenChannel post = request("ch-p", "w1", "/p").toBuilder()
                .setHttp(HttpRequestHead.newBuilder().setMethod("POST").setTarget("/p")
                        .addHeaders(HttpHeader.newBuilder().setName("Content-Length").setValue("5")))
                .build();
        taken.toAgent.onNext(ChannelFrame.newBuilder().setRequest(post).build());
        assertThat(taken.next().getOpen().getChannelId()).isEqualTo("ch-p");
        spare();
        assertThat(proxy.spares()).isEqualTo(1);
    }

    @Test
    void aRequestTheAgentCannotServeIsRefusedOnTheSpareItself() throws Exception {
        proxy = PreviewProxy.create(runtime, 1);
        proxy.connected(gateway, 5);
        Stream stream = spare();
        stream.toAgent.onNext(ChannelFrame.newBuilder().setRequest(request("ch-2", "w2", "/")).build());
        ChannelFrame answer = stream.next();
        assertThat(answer.hasClose()).isTrue();
        assertThat(answer.getClose().getReason()).contains("w2").contains("not running here");

        // A terminal request is never served on a preview spare.
        Stream second = spare();
        second.toAgent.onNext(ChannelFrame.newBuilder().setRequest(request("ch-3", "w1", "/")
                .toBuilder().setKind(ChannelKind.CHANNEL_KIND_TERMINAL)).build());
        assertThat(second.next().hasClose()).isTrue();
    }

    @Test
    void aSpareThatGetsSomethingElseFirstEnds() throws Exception {
        proxy = PreviewProxy.create(runtime, 1);
        proxy.connected(gateway, 5);
        Stream stream = spare();
        stream.toAgent.onNext(ChannelFrame.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("x")).build());
        assertThat(stream.next().hasClose()).isTrue();
    }

    @Test
    void anOlderGatewayGetsNoSparesAndIsServedOnTheControlStreamsWay() throws Exception {
        proxy = PreviewProxy.create(runtime, 2);
        proxy.connected(gateway, 4);
        assertThat(dialled.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(proxy.spares()).isZero();

        List<ChannelRefused> refusals = new CopyOnWriteArrayList<>();
        proxy.open(request("ch-4", "w1", "/b"), gateway, refusals::add);
        Stream stream = dialled.poll(10, TimeUnit.SECONDS);
        assertThat(stream).isNotNull();
        ChannelFrame open = stream.next();
        assertThat(open.getOpen().getChannelId()).isEqualTo("ch-4");
        assertThat(open.getOpen().getSpare()).isFalse();
        assertThat(stream.next().getResponse().getStatus()).isEqualTo(200);
        assertThat(refusals).isEmpty();
    }

    @Test
    void disconnectingGivesUpTheSpares() throws Exception {
        proxy = PreviewProxy.create(runtime, 2);
        proxy.connected(gateway, 5);
        Stream first = spare();
        Stream second = spare();
        proxy.disconnected();
        assertThat(proxy.spares()).isZero();
        assertThat(first.next().hasClose()).isTrue();
        assertThat(second.next().hasClose()).isTrue();
        assertThat(dialled.poll(1500, TimeUnit.MILLISECONDS)).as("none dialled again").isNull();
    }
}
