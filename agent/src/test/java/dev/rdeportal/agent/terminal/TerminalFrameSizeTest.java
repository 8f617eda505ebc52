package dev.rdeportal.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Protocol 1.5: a terminal's output leaves in frames of up to what the gateway offered in
 * {@code OpenChannel.max_frame_bytes} (64 KiB), and in frames of 16 KiB when it offered nothing
 * (a gateway before 1.5), whatever the agent could read at once.
 */
@Timeout(30)
class TerminalFrameSizeTest extends GatewayChannelTest {

    private static final int OUTPUT_BYTES = 200 * 1024; // below the 256 KiB credit: no acks needed

    private final List<ChannelFrame> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();


    @Test
    void aGatewayThatOffers64KiBGetsOutputInFramesOfUpTo64KiB() throws Exception {
        List<Integer> sizes = dataFrameSizes(64 * 1024);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(OUTPUT_BYTES);
        assertThat(sizes).allMatch(size -> size <= 64 * 1024);
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isEqualTo(64 * 1024);
    }

    @Test
    void aGatewayBefore15GetsFramesOf16KiBAtMost() throws Exception {
        List<Integer> sizes = dataFrameSizes(0);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(OUTPUT_BYTES);
        assertThat(sizes).allMatch(size -> size <= 16 * 1024);
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isEqualTo(16 * 1024);
    }

    @Test
    void anOfferAbove64KiBIsHeldTo64KiB() throws Exception {
        List<Integer> sizes = dataFrameSizes(1024 * 1024);
        assertThat(sizes).allMatch(size -> size <= 64 * 1024);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(OUTPUT_BYTES);
    }

    /** Opens a terminal whose process has written all its output already, and collects the data frames. */
    private List<Integer> dataFrameSizes(int offered) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new AgentTunnelGrpc.AgentTunnelImplBase() {
                    @Override
                    public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> toAgent) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(ChannelFrame frame) {
                                received.add(frame);
                                if (frame.hasClose()) {
                                    closed.complete(null);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                closed.complete(null);
                            }

                            @Override
                            public void onCompleted() {
                                closed.complete(null);
                                toAgent.onCompleted();
                            }
                        };
                    }
                }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        CountDownLatch attached = new CountDownLatch(1);
        PtyLikeProcess process = new PtyLikeProcess(OUTPUT_BYTES, attached, i -> (byte) 'x');
        sessions = new TerminalSessions(TerminalConfig.defaults(), PtyLikeProcess.runtimeOf(process), Clock.systemUTC(), scheduler, threads,
                () -> "ts-1");
        sessions.open(OpenChannel.newBuilder().setChannelId("ch-1").setWorkspaceId("w-1")
                .setKind(ChannelKind.CHANNEL_KIND_TERMINAL).setUser("alice").setMaxFrameBytes(offered).build(),
                channel, refused -> closed.completeExceptionally(new AssertionError(refused.getReason())));
        // The process writes once a client is attached (the ready frame came), as a shell would after a
        // prompt: all of it is then ready to read at once.
        while (received.stream().noneMatch(ChannelFrame::hasReady)) {
            Thread.sleep(5);
        }
        attached.countDown();
        closed.get(20, TimeUnit.SECONDS);
        return received.stream().filter(ChannelFrame::hasData).map(f -> f.getData().size()).toList();
    }
}
