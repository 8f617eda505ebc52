package dev.rdeportal.gateway.web;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Closes a WebSocket in a way that the relay's own end cannot undo.
 *
 * <p>Reactor Netty (1.3) releases a close frame when the {@code Mono} of its {@code sendClose} is
 * cancelled, even after it has handed the frame to the connection. Written from another thread (a
 * terminal's or preview's output arrives on the tunnel's thread), the frame then waits in the
 * event loop's queue, and the encoder later finds it released: "Failed to release a message:
 * CloseWebSocketFrame ... IllegalReferenceCountException" at WARN, with a stack trace, whenever
 * the client's side of the relay finished while the server's close was on its way (both ends
 * closing at once). The relays race the two directions ({@code Mono.firstWithSignal}), so the
 * loser, possibly this close, is cancelled. Here the close runs to its end whatever happens to
 * whoever waits for it.
 */
public final class WebSocketCloses {

    private WebSocketCloses() {
    }

    /**
     * Closes {@code ws} with {@code status} unless it is closed already; completes once the close
     * frame is written. Deferred, because Reactor Netty allocates the frame when {@code close} is
     * called, and a pipeline that is cancelled before it gets here must not have allocated one.
     * Cancelling the returned {@code Mono} stops the wait, never the close.
     */
    public static Mono<Void> closeIfOpen(WebSocketSession ws, CloseStatus status) {
        return Mono.defer(() -> ws.isOpen() ? Mono.fromFuture(ws.close(status).toFuture(), true) : Mono.empty());
    }
}
