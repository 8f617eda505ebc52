package dev.rdeportal.agent.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every preview channel stream, dialled for one request or as a spare (1.5), lets gRPC hold several
 * data frames unsent before it stops being ready (gRPC's default, 32 KiB, is under one 64 KiB frame,
 * which sent every frame in a TLS flush and a socket write of its own), and no more than a quarter
 * of the preview window, so a stream's buffer stays bounded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PreviewOnReadyThresholdTest {

    private final String name = InProcessServerBuilder.generateName();
    private final BlockingQueue<CallOptions> channelCalls = new LinkedBlockingQueue<>();
    private Server server;
    private ManagedChannel managed;
    private Channel gateway;
    private PreviewProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = InProcessServerBuilder.forName(name).addService(new AgentTunnelGrpc.AgentTunnelImplBase() {
            @Override
            public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> toAgent) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ChannelFrame frame) {
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
        managed = InProcessChannelBuilder.forName(name).build();
        gateway = ClientInterceptors.intercept(managed, new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                if (method.getFullMethodName().equals(AgentTunnelGrpc.getChannelMethod().getFullMethodName())) {
                    channelCalls.add(options);
                }
                return next.newCall(method, options);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        managed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aChannelDialledForOneRequestMayHoldFourFramesUnsent() throws Exception {
        WorkspaceRuntime runtime = mock(WorkspaceRuntime.class);
        // Nothing listens there: the channel is dialled, then closed with a 502's reason.
        when(runtime.portAddress(eq("w1"), anyInt())).thenReturn(Optional.of(InetSocketAddress.createUnresolved("127.0.0.1", 1)));
        proxy = PreviewProxy.create(runtime, 0);
        proxy.connected(gateway, 4);
        proxy.open(OpenChannel.newBuilder().setChannelId("ch-1").setWorkspaceId("w1").setPort(3000)
                .setKind(ChannelKind.CHANNEL_KIND_PREVIEW).setUser("alice@example.com")
                .setHttp(HttpRequestHead.newBuilder().setMethod("GET").setTarget("/")).build(), gateway, refused -> { });
        assertThreshold(channelCalls.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aSpareStreamMayHoldFourFramesUnsent() throws Exception {
        proxy = PreviewProxy.create(mock(WorkspaceRuntime.class), 2);
        proxy.connected(gateway, ProtocolVersions.SPARE_PREVIEW_MINOR);
        assertThreshold(channelCalls.poll(10, TimeUnit.SECONDS));
        assertThreshold(channelCalls.poll(10, TimeUnit.SECONDS));
    }

    private static void assertThreshold(CallOptions options) {
        assertThat(options).as("a channel stream dialled").isNotNull();
        assertThat(options.getOnReadyThreshold()).isEqualTo(4 * ProtocolVersions.PREVIEW_MAX_FRAME_BYTES)
                .isLessThanOrEqualTo(ProtocolVersions.PREVIEW_WINDOW_BYTES / 4);
    }
}
