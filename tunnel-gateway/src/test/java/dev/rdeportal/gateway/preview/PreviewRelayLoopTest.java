package dev.rdeportal.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.rdeportal.gateway.channel.AgentLink;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.web.EventLoopUpgrades;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelOpen;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.HttpHeader;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.HttpResponseHead;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The agent's frames arrive on the gRPC transport's thread; the relay must write the browser's
 * response on the browser connection's event loop, so that no write, completion or body
 * subscription crosses threads (each crossing a wake-up of that loop). A fake agent answers every
 * request from a thread of its own, as gRPC's event loop would.
 */
class PreviewRelayLoopTest {

    private static final String AGENT = "agent-1";

    private final ScheduledExecutorService grpc = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fake-grpc-loop"));
    private final AtomicInteger spares = new AtomicInteger();
    private final List<String> writers = new CopyOnWriteArrayList<>();
    private final ChannelBroker broker = new ChannelBroker(new SimpleMeterRegistry(), cluster -> Optional.of(new AgentLink() {
        @Override
        public String agentId() {
            return AGENT;
        }

        @Override
        public int protocolMinor() {
            return 5;
        }

        @Override
        public boolean deliver(GatewayMessage message) {
            return false; // only spares in this test
        }
    }), Duration.ofSeconds(5), Duration.ofSeconds(5), () -> "ch-" + spares.incrementAndGet());
    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
        grpc.shutdownNow();
    }

    @Test
    @Timeout(30)
    void theResponseIsWrittenOnTheBrowsersEventLoopAndNotOnTheTransportsThread() {
        start(true);
        for (int i = 0; i < 3; i++) {
            assertThat(get()).isEqualTo("hello from the app");
        }
        assertThat(writers).isNotEmpty().allMatch(name -> name.startsWith("reactor-http-"));
    }

    @Test
    @Timeout(30)
    void withoutTheLoopTheResponseIsWrittenOnTheTransportsThread() {
        // What the first test rules out: the relay as it was before it resumed on the loop.
        start(false);
        assertThat(get()).isEqualTo("hello from the app");
        assertThat(writers).isNotEmpty().allMatch(name -> name.equals("fake-grpc-loop"));
    }

    private void start(boolean onLoop) {
        PreviewRelay relay = new PreviewRelay(EventLoopUpgrades.service());
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(exchange -> {
            Scheduler loop = onLoop ? PreviewRelay.loopOf(exchange) : null;
            assertThat(PreviewRelay.loopOf(exchange)).isNotNull();
            ServerWebExchange recorded = exchange.mutate().response(new ServerHttpResponseDecorator(exchange.getResponse()) {
                @Override
                public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                    return super.writeWith(Flux.from(body).doOnNext(b -> writers.add(Thread.currentThread().getName())));
                }
            }).build();
            spare();
            HttpRequestHead head = HttpRequestHead.newBuilder().setMethod("GET").setTarget("/").build();
            return relay.relay(recorded, false, new PreviewRelay.Traffic(),
                    () -> broker.openPreview("c1", "w1", "alice@example.com", 8000, head, true), loop);
        }).build();
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
    }

    /** A spare stream of the fake agent, which answers its request from the fake transport thread. */
    @SuppressWarnings("unchecked")
    private void spare() {
        ServerCallStreamObserver<ChannelFrame> call = mock(ServerCallStreamObserver.class);
        when(call.isReady()).thenReturn(true);
        StreamObserver<ChannelFrame>[] stream = new StreamObserver[1];
        doAnswer(invocation -> {
            ChannelFrame frame = invocation.getArgument(0);
            if (frame.hasRequest()) {
                String channelId = frame.getRequest().getChannelId();
                grpc.execute(() -> stream[0].onNext(ChannelFrame.newBuilder()
                        .setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build()));
                // The app answers a little later, once the relay waits for it (as over a real tunnel).
                grpc.schedule(() -> {
                    stream[0].onNext(ChannelFrame.newBuilder().setResponse(HttpResponseHead.newBuilder().setStatus(200)
                            .addHeaders(HttpHeader.newBuilder().setName("Content-Type").setValue("text/plain"))).build());
                    stream[0].onNext(ChannelFrame.newBuilder()
                            .setData(ByteString.copyFrom("hello from the app", StandardCharsets.UTF_8)).build());
                    stream[0].onNext(ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build());
                }, 50, TimeUnit.MILLISECONDS);
            }
            return null;
        }).when(call).onNext(any());
        stream[0] = broker.accept(AGENT, call);
        stream[0].onNext(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId("spare-" + spares.incrementAndGet())
                .setSpare(true)).build());
    }

    private String get() {
        return HttpClient.create().get().uri("http://127.0.0.1:" + server.port() + "/")
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
                        .map(text -> response.status().code() + " " + text))
                .map(answer -> answer.startsWith("200 ") ? answer.substring(4) : answer)
                .block(Duration.ofSeconds(10));
    }
}
