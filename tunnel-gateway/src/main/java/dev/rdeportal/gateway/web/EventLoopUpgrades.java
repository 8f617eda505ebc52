package dev.rdeportal.gateway.web;

import io.netty.channel.EventLoop;
import java.util.function.Supplier;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Upgrades to WebSocket on the connection's own event loop, so that no client frame is lost.
 *
 * <p>Reactor Netty (1.3) binds the WebSocket to its connection in a listener that it adds to the
 * handshake after starting to write the 101. Started from another thread (a terminal or preview
 * request often resumes on a database or gRPC thread before it upgrades), the 101 can go out and
 * the client's first frame can be read before that listener runs; the frame then reaches the
 * finished HTTP request and is dropped ("dropping frame" at DEBUG). A terminal's first frame is
 * its ticket, so the terminal waited out its auth timeout (session 6, reproduced with 20 sessions
 * opened beside a flood). On the event loop, the write, the bind and any read are one after another.
 */
public final class EventLoopUpgrades extends ReactorNettyRequestUpgradeStrategy {

    /** The handshake service the gateway's WebSocket endpoints use. */
    public static WebSocketService service() {
        return new HandshakeWebSocketService(new EventLoopUpgrades());
    }

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
                              Supplier<HandshakeInfo> handshakeInfoFactory) {
        EventLoop loop = eventLoopOf(exchange);
        if (loop == null) {
            return super.upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
        }
        // Committing first runs the response's pre-commit actions, which may finish on any thread;
        // the upgrade's own commit is then a no-op, and the handshake starts on the event loop.
        return exchange.getResponse().setComplete()
                .publishOn(Schedulers.fromExecutor(loop))
                .then(Mono.defer(() -> super.upgrade(exchange, handler, subProtocol, handshakeInfoFactory)));
    }

    /** The event loop of the Reactor Netty connection under {@code exchange}, or null on another server. */
    static EventLoop eventLoopOf(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        return request instanceof Connection connection ? connection.channel().eventLoop() : null;
    }
}
