package dev.rdeportal.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * A client that sends its first frame as soon as the handshake is done must have it read, even
 * when the request resumed on another thread before it was upgraded (as terminal and preview
 * requests do after their database and gRPC calls). The loss itself needs a thread pre-empted at
 * one exact point, which this test's server does not reliably hit: it showed in the terminal bench
 * (bench/RESULTS.md, session 6). So the first test pins what prevents it: the handshake starts on
 * the connection's event loop.
 */
class EventLoopUpgradesTest {

    private static final int CONNECTIONS = 200;
    private static final int AT_ONCE = 20;

    private DisposableServer server;
    private final List<Thread> burners = new ArrayList<>();
    private final AtomicBoolean burning = new AtomicBoolean(true);

    @AfterEach
    void stop() {
        burning.set(false);
        burners.forEach(Thread::interrupt);
        if (server != null) {
            server.disposeNow();
        }
    }

    @Test
    @Timeout(60)
    void theHandshakeStartsOnTheConnectionsEventLoopWhenTheRequestResumedElsewhere() {
        Map<String, Boolean> handshakeOnLoop = new ConcurrentHashMap<>();
        EventLoopUpgrades upgrades = new EventLoopUpgrades();
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(exchange -> Mono.delay(Duration.ofMillis(1))
                        .publishOn(Schedulers.boundedElastic())
                        .then(Mono.defer(() -> {
                            EventLoop loop = EventLoopUpgrades.eventLoopOf(exchange);
                            handshakeOnLoop.put("resumed on the loop", loop.inEventLoop());
                            // the upgrade asks for its handshake info as it starts the handshake
                            return upgrades.upgrade(exchange, session -> session.send(Mono.just(session.textMessage("hi"))),
                                    null, () -> {
                                        handshakeOnLoop.put("handshake on the loop", loop.inEventLoop());
                                        return new HandshakeInfo(exchange.getRequest().getURI(),
                                                exchange.getRequest().getHeaders(), Mono.empty(), null);
                                    });
                        })))
                .build();
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();

        String reply = HttpClient.create().websocket().uri("ws://127.0.0.1:" + server.port() + "/ws")
                .handle((in, out) -> in.receive().asString().next())
                .next()
                .block(Duration.ofSeconds(10));

        assertThat(reply).isEqualTo("hi");
        assertThat(handshakeOnLoop).containsEntry("resumed on the loop", false).containsEntry("handshake on the loop", true);
    }

    @Test
    @Timeout(120)
    void aFirstFrameSentRightAfterTheHandshakeIsRead() {
        Map<String, String> firstMessages = new ConcurrentHashMap<>();
        start(EventLoopUpgrades::service, firstMessages);
        // Busy threads make the thread that starts an upgrade likely to be pre-empted mid-way, the
        // moment the loss needed (it showed 1 to 2 times in 20 on two busy cores before the fix).
        for (int i = 0; i < 3; i++) {
            Thread burner = new Thread(() -> {
                long x = 0;
                while (burning.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
            burner.setDaemon(true);
            burner.start();
            burners.add(burner);
        }

        List<String> answered = Flux.range(0, CONNECTIONS)
                .flatMap(i -> firstReply("hello-" + i), AT_ONCE)
                .collectList()
                .block(Duration.ofSeconds(110));

        assertThat(answered).hasSize(CONNECTIONS).allMatch(reply -> reply.startsWith("got hello-"));
        assertThat(firstMessages).hasSize(CONNECTIONS);
    }

    /** A server whose requests resume on another thread before the upgrade, and whose sockets answer each message. */
    private void start(Supplier<WebSocketService> upgrades, Map<String, String> firstMessages) {
        WebSocketService service = upgrades.get();
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(exchange -> Mono.delay(Duration.ofMillis(1))
                        .publishOn(Schedulers.boundedElastic())
                        .then(Mono.defer(() -> service.handleRequest(exchange, session -> session.send(session.receive()
                                .map(message -> {
                                    // the inbound stays open (cancelling it would close the socket before the reply)
                                    String text = message.getPayloadAsText();
                                    firstMessages.putIfAbsent(session.getId(), text);
                                    return session.textMessage("got " + text);
                                }))))))
                .build();
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
    }

    /** Opens a socket, sends {@code first} the moment it is open, and gives the server's reply (or a timeout). */
    private Mono<String> firstReply(String first) {
        return HttpClient.create()
                .websocket()
                .uri("ws://127.0.0.1:" + server.port() + "/ws")
                .handle((in, out) -> out.sendObject(Mono.just(new TextWebSocketFrame(first)))
                        .then()
                        .thenMany(in.receive().asString().next())
                        .next())
                .next()
                .defaultIfEmpty("closed without a reply to " + first)
                .timeout(Duration.ofSeconds(5), Mono.just("no reply to " + first))
                .onErrorResume(e -> Mono.just("failed: " + e));
    }
}
