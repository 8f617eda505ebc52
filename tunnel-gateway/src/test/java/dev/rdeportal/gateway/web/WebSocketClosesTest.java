package dev.rdeportal.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class WebSocketClosesTest {

    private final WebSocketSession ws = mock(WebSocketSession.class);

    @Test
    void aCancelledWaitLeavesTheCloseRunning() {
        // Reactor Netty releases its close frame when the close is cancelled, even while the frame
        // waits in the event loop's queue; the encoder then fails on it (WARN with a stack trace).
        Sinks.Empty<Void> written = Sinks.empty();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger subscribed = new AtomicInteger();
        when(ws.isOpen()).thenReturn(true);
        when(ws.close(CloseStatus.NORMAL)).thenReturn(written.asMono()
                .doOnSubscribe(s -> subscribed.incrementAndGet())
                .doOnCancel(() -> cancelled.set(true)));

        Disposable waiting = WebSocketCloses.closeIfOpen(ws, CloseStatus.NORMAL).subscribe();
        waiting.dispose(); // the relay's other direction finished first

        assertThat(subscribed).as("the close was started once").hasValue(1);
        assertThat(cancelled).as("the close frame's write was not cancelled").isFalse();
        written.tryEmitEmpty();
    }

    @Test
    void completesWhenTheCloseFrameIsWritten() {
        Sinks.Empty<Void> written = Sinks.empty();
        when(ws.isOpen()).thenReturn(true);
        when(ws.close(CloseStatus.GOING_AWAY)).thenReturn(written.asMono());
        AtomicBoolean done = new AtomicBoolean();

        WebSocketCloses.closeIfOpen(ws, CloseStatus.GOING_AWAY).subscribe(null, null, () -> done.set(true));
        assertThat(done).as("still writing").isFalse();
        written.tryEmitEmpty();

        assertThat(done).isTrue();
    }

    @Test
    void aClosedSocketIsLeftAloneAndNothingIsAllocatedBeforeSubscription() {
        when(ws.isOpen()).thenReturn(false);

        Mono<Void> close = WebSocketCloses.closeIfOpen(ws, CloseStatus.NORMAL);
        verify(ws, never()).isOpen(); // deferred: a pipeline cancelled before this point allocates no frame
        close.block();

        verify(ws, never()).close(CloseStatus.NORMAL);
    }
}
