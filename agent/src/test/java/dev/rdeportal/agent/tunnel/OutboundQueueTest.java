package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.grpc.stub.ClientCallStreamObserver;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The queue is made in {@code beforeStart}, when gRPC's call has no transport stream yet and throws
 * from {@code isReady}: a message offered then (another thread tearing the stream down while it is
 * being dialled) waits until the dialling thread says the call started.
 */
class OutboundQueueTest {

    @SuppressWarnings("unchecked")
    private final ClientCallStreamObserver<String> stream = mock(ClientCallStreamObserver.class);
    private final OutboundQueue<String> queue = new OutboundQueue<>(stream, 4);

    @Test
    void nothingTouchesTheCallBeforeItStarted() {
        assertThat(queue.offer("hello")).isTrue();
        queue.finish();
        queue.drain(); // an early onReady

        verifyNoInteractions(stream);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void whatWaitedIsWrittenThenTheStreamHalfClosesOnceStarted() {
        when(stream.isReady()).thenReturn(true);
        queue.offer("hello");
        queue.finish();

        queue.started();

        InOrder order = inOrder(stream);
        order.verify(stream).onNext("hello");
        order.verify(stream).onCompleted();
        assertThat(queue.size()).isZero();
    }

    @Test
    void aStartedQueueWritesOnlyWhileTheTransportIsReady() {
        queue.started();
        when(stream.isReady()).thenReturn(false);
        queue.offer("one");
        verify(stream, never()).onNext("one");

        when(stream.isReady()).thenReturn(true);
        queue.drain();
        verify(stream).onNext("one");
    }

    @Test
    void aFullQueueRefusesTheOffer() {
        for (int i = 0; i < 4; i++) {
            assertThat(queue.offer("m" + i)).isTrue();
        }
        assertThat(queue.offer("one too many")).isFalse();
        assertThat(queue.size()).isEqualTo(4);
    }
}
