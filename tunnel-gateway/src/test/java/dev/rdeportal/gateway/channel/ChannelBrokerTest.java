package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelOpen;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Flux;

class ChannelBrokerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger ids = new AtomicInteger();
    private final Link agent = new Link("agent-1", 1);

    static final class Link implements AgentLink {
        final String id;
        final int minor;
        final List<GatewayMessage> delivered = new CopyOnWriteArrayList<>();

        Link(String id, int minor) {
            this.id = id;
            this.minor = minor;
        }

        @Override
        public String agentId() {
            return id;
        }

        @Override
        public int protocolMinor() {
            return minor;
        }

        @Override
        public boolean deliver(GatewayMessage message) {
            delivered.add(message);
            return true;
        }
    }

    private ChannelBroker broker(AgentLink link) {
        return broker(link, Duration.ofSeconds(30));
    }

    private ChannelBroker broker(AgentLink link, Duration openTimeout) {
        return new ChannelBroker(meters, cluster -> cluster.equals("c1") ? Optional.of(link) : Optional.empty(),
                openTimeout, Duration.ofSeconds(1), () -> "id-" + ids.incrementAndGet());
    }

    @SuppressWarnings("unchecked")
    private static ServerCallStreamObserver<ChannelFrame> call() {
        ServerCallStreamObserver<ChannelFrame> call = mock(ServerCallStreamObserver.class);
        when(call.isReady()).thenReturn(true);
        return call;
    }

    private static ChannelFrame open(String channelId) {
        return ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build();
    }

    private double openGauge() {
        return meters.get("rde.tunnel.channels.open").gauge().value();
    }

    @Test
    void onlyTheAgentThatWasAskedCanAnswerAChannel() throws Exception {
        ChannelBroker broker = broker(agent);
        CompletableFuture<AgentChannel> waiting = broker.openTerminal("c1", "w1", "alice@example.com", "", 100, 30, "");
        OpenChannel request = agent.delivered.get(0).getOpenChannel();
        assertThat(request.getKind()).isEqualTo(ChannelKind.CHANNEL_KIND_TERMINAL);
        assertThat(request.getUser()).isEqualTo("alice@example.com");
        assertThat(request.getCols()).isEqualTo(100);

        ServerCallStreamObserver<ChannelFrame> impostorCall = call();
        broker.accept("agent-2", impostorCall).onNext(open(request.getChannelId()));
        verify(impostorCall).onError(argThat(e -> ((StatusRuntimeException) e).getStatus().getCode() == Status.Code.NOT_FOUND));
        assertThat(waiting).isNotDone();

        StreamObserver<ChannelFrame> answered = broker.accept("agent-1", call());
        answered.onNext(open(request.getChannelId()));
        assertThat(waiting.get(1, TimeUnit.SECONDS)).isSameAs(answered);
        assertThat(openGauge()).isEqualTo(1);
        answered.onCompleted();
        assertThat(openGauge()).isZero();
    }

    @Test
    void terminalFramesOf64KiBAreOfferedOnlyToAgentsThatNegotiated15() {
        Link older = new Link("agent-1", 4);
        broker(older).openTerminal("c1", "w1", "a", "", 80, 24, "");
        assertThat(older.delivered.get(0).getOpenChannel().getMaxFrameBytes()).isZero();
        assertThat(ProtocolVersions.terminalFrameBytes(older.delivered.get(0).getOpenChannel().getMaxFrameBytes()))
                .isEqualTo(16 * 1024);

        Link current = new Link("agent-1", 5);
        broker(current).openTerminal("c1", "w1", "a", "", 80, 24, "");
        assertThat(current.delivered.get(0).getOpenChannel().getMaxFrameBytes()).isEqualTo(64 * 1024);

        // Previews keep their own frame size (1.3); the field is for terminals only.
        broker(current).openPreview("c1", "w1", "a", 8080, HttpRequestHead.newBuilder().setMethod("GET").build());
        assertThat(current.delivered.get(1).getOpenChannel().getMaxFrameBytes()).isZero();
    }

    @Test
    void theAgentsRefusalIsTheClientsReason() {
        ChannelBroker broker = broker(agent);
        CompletableFuture<AgentChannel> waiting = broker.openTerminal("c1", "w1", "alice@example.com", "", 80, 24, "ts-x");
        String id = agent.delivered.get(0).getOpenChannel().getChannelId();
        broker.refused("agent-2", ChannelRefused.newBuilder().setChannelId(id).setReason("forged").build());
        assertThat(waiting).isNotDone();
        broker.refused("agent-1", ChannelRefused.newBuilder().setChannelId(id).setReason("no such terminal session").build());
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ChannelUnavailableException.class).hasMessage("no such terminal session");
    }

    @Test
    void anAgentThatDoesNotDialBackTimesOutAndOneThatIsTooOldIsNotAsked() {
        assertThatThrownBy(() -> broker(agent, Duration.ofSeconds(1)).openTerminal("c1", "w1", "a", "", 80, 24, "")
                .get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ChannelUnavailableException.class)
                .hasMessage("the agent did not open the channel within 1s");
        Link old = new Link("agent-old", 0);
        assertThatThrownBy(() -> broker(old).openTerminal("c1", "w1", "a", "", 80, 24, "").get())
                .cause().hasMessageContaining("too old");
        assertThat(old.delivered).isEmpty();
        assertThatThrownBy(() -> broker(agent).openTerminal("c2", "w1", "a", "", 80, 24, "").get())
                .cause().hasMessage("the workspace's agent is not connected");
    }

    @Test
    void whatTheClientSendsIsBoundByTheAgentsCredit() throws Exception {
        ChannelBroker broker = broker(agent);
        CompletableFuture<AgentChannel> waiting = broker.openTerminal("c1", "w1", "a", "", 80, 24, "");
        ServerCallStreamObserver<ChannelFrame> call = call();
        StreamObserver<ChannelFrame> stream = broker.accept("agent-1", call);
        stream.onNext(open(agent.delivered.get(0).getOpenChannel().getChannelId()));
        AgentChannel channel = waiting.get(1, TimeUnit.SECONDS);

        byte[] chunk = new byte[ProtocolVersions.CHANNEL_MAX_FRAME_BYTES];
        AtomicInteger pulled = new AtomicInteger();
        channel.forward(Flux.range(0, 1000).doOnNext(i -> pulled.incrementAndGet())
                .map(i -> ChannelFrame.newBuilder().setData(ByteString.copyFrom(chunk)).build())).subscribe();

        int window = ProtocolVersions.CHANNEL_WINDOW_BYTES / ProtocolVersions.CHANNEL_MAX_FRAME_BYTES;
        ArgumentCaptor<ChannelFrame> sent = ArgumentCaptor.forClass(ChannelFrame.class);
        verify(call, atLeast(1)).onNext(sent.capture());
        assertThat(sent.getAllValues()).hasSize(window);
        assertThat(pulled.get()).as("frames taken from the client").isEqualTo(window);

        // The agent wrote four frames to the PTY: four more may go.
        stream.onNext(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes(4 * chunk.length)).build());
        verify(call, atLeast(1)).onNext(sent.capture());
        assertThat(pulled.get()).isEqualTo(window + 4);
        verify(call, never()).onError(any());
    }
}
