package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.ChannelClose;
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

    // ---- 1.5: spare preview streams ----------------------------------------------------------------

    private static ChannelFrame spare(String spareId) {
        return ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(spareId).setSpare(true)).build();
    }

    private static HttpRequestHead get(String target) {
        return HttpRequestHead.newBuilder().setMethod("GET").setTarget(target).build();
    }

    /** Every frame the gateway sent on {@code call}, in order. */
    private static List<ChannelFrame> sentOn(ServerCallStreamObserver<ChannelFrame> call) {
        ArgumentCaptor<ChannelFrame> sent = ArgumentCaptor.forClass(ChannelFrame.class);
        verify(call, atLeast(1)).onNext(sent.capture());
        return sent.getAllValues();
    }

    /** A channel stream of {@code agentId} that names itself a spare (1.5): what the agent dials ahead of requests. */
    private static StreamObserver<ChannelFrame> offerSpare(ChannelBroker broker, String agentId,
                                                           ServerCallStreamObserver<ChannelFrame> call, String spareId) {
        StreamObserver<ChannelFrame> stream = broker.accept(agentId, call);
        stream.onNext(spare(spareId));
        return stream;
    }

    /** The request a spare was given: the first frame the gateway sent on it. */
    private static OpenChannel requestOn(ServerCallStreamObserver<ChannelFrame> call) {
        List<ChannelFrame> sent = sentOn(call);
        assertThat(sent.get(0).hasRequest()).isTrue();
        return sent.get(0).getRequest();
    }

    @Test
    void aPreviewTakesASpareStreamOfA15AgentWithoutAskingOnTheControlStream() throws Exception {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15);
        ServerCallStreamObserver<ChannelFrame> call = call();
        StreamObserver<ChannelFrame> stream = offerSpare(broker, "agent-1", call, "spare-1");
        assertThat(broker.spares("agent-1")).isEqualTo(1);

        CompletableFuture<AgentChannel> waiting = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/a"));
        assertThat(agent15.delivered).isEmpty();
        assertThat(broker.spares("agent-1")).isZero();
        OpenChannel request = requestOn(call);
        assertThat(request.getKind()).isEqualTo(ChannelKind.CHANNEL_KIND_PREVIEW);
        assertThat(request.getWorkspaceId()).isEqualTo("w1");
        assertThat(request.getPort()).isEqualTo(3000);
        assertThat(request.getUser()).isEqualTo("alice@example.com");
        assertThat(request.getHttp().getTarget()).isEqualTo("/a");
        assertThat(waiting).isNotDone();

        // Accepted only under the request's own channel id.
        stream.onNext(open(request.getChannelId()));
        assertThat(waiting.get(1, TimeUnit.SECONDS)).isSameAs(stream);
        assertThat(openGauge()).isEqualTo(1);

        // The spare was used up: the next request asks on the control stream.
        CompletableFuture<AgentChannel> next = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/b"));
        assertThat(agent15.delivered).hasSize(1);
        assertThat(agent15.delivered.get(0).getOpenChannel().getHttp().getTarget()).isEqualTo("/b");
        assertThat(next).isNotDone();
        stream.onCompleted();
        assertThat(openGauge()).isZero();
    }

    @Test
    void aBodilessRequestOnASpareIsEndedInTheSameWriteAndOnlyThen() throws Exception {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15);
        ServerCallStreamObserver<ChannelFrame> bodiless = call();
        StreamObserver<ChannelFrame> first = offerSpare(broker, "agent-1", bodiless, "spare-1");
        CompletableFuture<AgentChannel> get = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/a"), true);
        List<ChannelFrame> sent = sentOn(bodiless);
        // Request and End, before the agent accepted: nothing else may come between them.
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).hasRequest()).isTrue();
        assertThat(sent.get(1).hasEnd()).isTrue();
        first.onNext(open(sent.get(0).getRequest().getChannelId()));
        assertThat(get.get(1, TimeUnit.SECONDS).requestEnded()).isTrue();

        // With a body (or unknown), the End is the relay's to send after the body.
        ServerCallStreamObserver<ChannelFrame> withBody = call();
        StreamObserver<ChannelFrame> second = offerSpare(broker, "agent-1", withBody, "spare-2");
        CompletableFuture<AgentChannel> post = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/b"), false);
        List<ChannelFrame> sent2 = sentOn(withBody);
        assertThat(sent2).hasSize(1);
        second.onNext(open(sent2.get(0).getRequest().getChannelId()));
        assertThat(post.get(1, TimeUnit.SECONDS).requestEnded()).isFalse();
        // Asked on the control stream (no spare left): never ended early.
        assertThat(broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/c"), true)).isNotDone();
        assertThat(agent15.delivered).hasSize(1);
    }

    @Test
    void aSpareClaimTheAgentNeverAnswersTimesOutAndEndsTheStream() {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15, Duration.ofSeconds(1));
        ServerCallStreamObserver<ChannelFrame> call = call();
        offerSpare(broker, "agent-1", call, "spare-1");

        CompletableFuture<AgentChannel> waiting = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/a"), true);

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ChannelUnavailableException.class)
                .hasMessage("the agent did not open the channel within 1s");
        // The stream is ended by another of the deadline's callbacks, which may run just after.
        verify(call, timeout(2000)).onError(argThat(e -> ((StatusRuntimeException) e).getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED));
        assertThat(agent15.delivered).isEmpty(); // a timed-out spare is not asked again on the control stream
        assertThat(openGauge()).isZero();
    }

    @Test
    void anAgentBelow15IsAskedOnTheControlStreamEvenWithASpare() {
        Link agent14 = new Link("agent-1", 4);
        ChannelBroker broker = broker(agent14);
        ServerCallStreamObserver<ChannelFrame> call = call();
        offerSpare(broker, "agent-1", call, "spare-1");

        broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/"));
        assertThat(agent14.delivered).hasSize(1);
        assertThat(agent14.delivered.get(0).getOpenChannel().getKind()).isEqualTo(ChannelKind.CHANNEL_KIND_PREVIEW);
        verify(call, never()).onNext(any());
        assertThat(broker.spares("agent-1")).isEqualTo(1);
    }

    @Test
    void anotherAgentsSpareIsNeverUsed() {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15);
        ServerCallStreamObserver<ChannelFrame> otherCall = call();
        offerSpare(broker, "agent-2", otherCall, "spare-1");

        broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/"));
        verify(otherCall, never()).onNext(any());
        assertThat(agent15.delivered).hasSize(1);
        assertThat(broker.spares("agent-2")).isEqualTo(1);
    }

    @Test
    void aSpareRefusalIsTheClientsReasonAndAWrongAnswerEndsTheStream() {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15);
        ServerCallStreamObserver<ChannelFrame> call = call();
        StreamObserver<ChannelFrame> stream = offerSpare(broker, "agent-1", call, "spare-1");
        CompletableFuture<AgentChannel> refused = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/"));
        stream.onNext(ChannelFrame.newBuilder().setClose(ChannelClose.newBuilder()
                .setReason("workspace w1 is not running here or has no port 3000")).build());
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("not running here");
        assertThat(openGauge()).isZero();

        // An answer naming another channel id is not an acceptance.
        ServerCallStreamObserver<ChannelFrame> call2 = call();
        StreamObserver<ChannelFrame> stream2 = offerSpare(broker, "agent-1", call2, "spare-2");
        CompletableFuture<AgentChannel> wrong = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/"));
        stream2.onNext(open("some-other-channel"));
        assertThatThrownBy(() -> wrong.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(ChannelUnavailableException.class);
        verify(call2).onError(argThat(e -> ((StatusRuntimeException) e).getStatus().getCode()
                == Status.Code.FAILED_PRECONDITION));
        assertThat(openGauge()).isZero();
    }

    @Test
    void aSpareThatSpeaksBeforeItsRequestIsEndedAndLeavesThePool() {
        ChannelBroker broker = broker(new Link("agent-1", 5));
        ServerCallStreamObserver<ChannelFrame> call = call();
        StreamObserver<ChannelFrame> stream = offerSpare(broker, "agent-1", call, "spare-1");
        stream.onNext(ChannelFrame.newBuilder().setData(ByteString.copyFromUtf8("unasked")).build());
        verify(call).onError(argThat(e -> ((StatusRuntimeException) e).getStatus().getCode()
                == Status.Code.FAILED_PRECONDITION));
        assertThat(broker.spares("agent-1")).isZero();
    }

    @Test
    void aSpareLostBeforeItsAnswerFallsBackToTheControlStream() {
        Link agent15 = new Link("agent-1", 5);
        ChannelBroker broker = broker(agent15);
        ServerCallStreamObserver<ChannelFrame> call = call();
        StreamObserver<ChannelFrame> stream = offerSpare(broker, "agent-1", call, "spare-1");
        CompletableFuture<AgentChannel> waiting = broker.openPreview("c1", "w1", "alice@example.com", 3000, get("/"));
        assertThat(agent15.delivered).isEmpty();
        stream.onError(new RuntimeException("connection reset"));
        assertThat(agent15.delivered).hasSize(1);
        OpenChannel asked = agent15.delivered.get(0).getOpenChannel();
        assertThat(asked.getHttp().getTarget()).isEqualTo("/");
        StreamObserver<ChannelFrame> dialled = broker.accept("agent-1", call());
        dialled.onNext(open(asked.getChannelId()));
        assertThat(waiting).isCompletedWithValue((AgentChannel) dialled);
    }

    @Test
    void anAgentCannotParkMoreThanTheLimitOfSpares() {
        ChannelBroker broker = broker(new Link("agent-1", 5));
        for (int i = 0; i < ChannelBroker.MAX_SPARES_PER_AGENT; i++) {
            offerSpare(broker, "agent-1", call(), "spare-" + i);
        }
        ServerCallStreamObserver<ChannelFrame> oneTooMany = call();
        offerSpare(broker, "agent-1", oneTooMany, "spare-x");
        verify(oneTooMany).onError(argThat(e -> ((StatusRuntimeException) e).getStatus().getCode()
                == Status.Code.RESOURCE_EXHAUSTED));
        assertThat(broker.spares("agent-1")).isEqualTo(ChannelBroker.MAX_SPARES_PER_AGENT);
    }

    @Test
    void aSpareThatEndsIdleLeavesThePool() {
        ChannelBroker broker = broker(new Link("agent-1", 5));
        StreamObserver<ChannelFrame> stream = offerSpare(broker, "agent-1", call(), "spare-1");
        stream.onError(new RuntimeException("gone"));
        assertThat(broker.spares("agent-1")).isZero();
    }
}
