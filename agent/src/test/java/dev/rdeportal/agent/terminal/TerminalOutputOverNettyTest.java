package dev.rdeportal.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over a transport that serialises (Netty, as the agent dials the gateway), the session's reader
 * reads into the array of a frame that already left (see {@code ChannelStream.sendOwned}): the
 * gateway must still get every byte as the process wrote it, in order, through many windows of
 * credit and a gateway that acknowledges late.
 */
@Timeout(60)
class TerminalOutputOverNettyTest extends GatewayChannelTest {

    private static final int OUTPUT_BYTES = 8 * 1024 * 1024 + 12_345; // 32 windows of credit, and a ragged end

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicInteger dataFrames = new AtomicInteger();
    private final CountDownLatch attached = new CountDownLatch(1);


    @Test
    void everyByteArrivesInOrderWhileTheReaderReusesItsArray() throws Exception {
        ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new AgentTunnelGrpc.AgentTunnelImplBase() {
                        @Override
                        public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> toAgent) {
                            return new StreamObserver<>() {
                                @Override
                                public void onNext(ChannelFrame frame) {
                                    if (frame.hasReady()) {
                                        attached.countDown(); // the process writes once a client is there
                                    }
                                    if (frame.hasData()) {
                                        synchronized (received) {
                                            received.writeBytes(frame.getData().toByteArray());
                                        }
                                        int n = dataFrames.incrementAndGet();
                                        int cost = ProtocolVersions.channelCost(frame.getData().size());
                                        ChannelFrame ack = ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes(cost)).build();
                                        // Every third frame is acknowledged a little later, so that the
                                        // reader meets a full window now and then and frames wait.
                                        if (n % 3 == 0) {
                                            late.schedule(() -> send(toAgent, ack), 2, TimeUnit.MILLISECONDS);
                                        } else {
                                            send(toAgent, ack);
                                        }
                                    }
                                    if (frame.hasClose()) {
                                        closed.complete(null);
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {
                                    closed.completeExceptionally(t);
                                }

                                @Override
                                public void onCompleted() {
                                    closed.complete(null);
                                    synchronized (toAgent) {
                                        toAgent.onCompleted();
                                    }
                                }
                            };
                        }
                    }).build().start();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            sessions = new TerminalSessions(TerminalConfig.defaults(), PtyLikeProcess.runtimeOf(new PtyLikeProcess(OUTPUT_BYTES, attached, TerminalOutputOverNettyTest::at)),
                    Clock.systemUTC(), scheduler, threads, () -> "ts-1", true);
            sessions.open(OpenChannel.newBuilder().setChannelId("ch-1").setWorkspaceId("w-1")
                            .setKind(ChannelKind.CHANNEL_KIND_TERMINAL).setUser("alice")
                            .setMaxFrameBytes(ProtocolVersions.TERMINAL_MAX_FRAME_BYTES).build(),
                    channel, refused -> closed.completeExceptionally(new AssertionError(refused.getReason())));
            closed.get(50, TimeUnit.SECONDS);
        } finally {
            late.shutdownNow();
        }
        byte[] got;
        synchronized (received) {
            got = received.toByteArray();
        }
        assertThat(got.length).isEqualTo(OUTPUT_BYTES);
        for (int i = 0; i < got.length; i++) {
            if (got[i] != at(i)) {
                throw new AssertionError("byte " + i + " of " + got.length + " is " + got[i] + ", not " + at(i));
            }
        }
        assertThat(dataFrames.get()).isLessThan(OUTPUT_BYTES / 4096);
    }

    private static void send(StreamObserver<ChannelFrame> toAgent, ChannelFrame frame) {
        synchronized (toAgent) {
            try {
                toAgent.onNext(frame);
            } catch (RuntimeException ended) {
                // the stream ended meanwhile
            }
        }
    }

    /** Every position has its own byte, so a run that a reused array overwrote shows. */
    static byte at(int position) {
        return (byte) (position % 251 + position / 65_536);
    }
}
