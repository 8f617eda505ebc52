package dev.rdeportal.agent.tunnel;

import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayDeque;

/**
 * Messages to the gateway (control or channel stream), written only while the transport is ready so that gRPC never buffers
 * without bound. Messages are small and few; a full queue means the gateway stopped reading, and
 * the caller tears the stream down. Callers on any thread; {@code onNext} is never concurrent.
 *
 * <p>The queue is made in {@code beforeStart}, before the call has a transport stream; gRPC refuses
 * messages (and throws from {@code isReady}) until the stub's call returned. So nothing is written
 * until the dialling thread says {@link #started()}: an offer from another thread in between (the
 * agent shutting down, the workspace stopping) waits in the queue.
 */
public final class OutboundQueue<T> {

    private final ClientCallStreamObserver<T> stream;
    private final int capacity;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private boolean started;
    private boolean halfCloseRequested;
    private boolean closed;

    public OutboundQueue(ClientCallStreamObserver<T> stream, int capacity) {
        this.stream = stream;
        this.capacity = capacity;
    }

    /** False when the queue is full or closed; the message is then dropped. */
    public synchronized boolean offer(T message) {
        if (closed || halfCloseRequested || queue.size() >= capacity) {
            return false;
        }
        queue.add(message);
        drain();
        return true;
    }

    /** The stub's call returned: the stream takes messages now, and what waits is written. */
    public synchronized void started() {
        started = true;
        drain();
    }

    /** Runs on the transport's onReady callback and after each offer. */
    public synchronized void drain() {
        if (closed || !started) {
            return;
        }
        while (!queue.isEmpty() && stream.isReady()) {
            stream.onNext(queue.poll());
        }
        if (halfCloseRequested && queue.isEmpty()) {
            closed = true;
            try {
                stream.onCompleted();
            } catch (RuntimeException alreadyBroken) {
                // The stream failed on the other side before our goodbye (some transports throw
                // instead of ignoring it): there is nothing left to close.
            }
        }
    }

    /** Sends what is queued, then half-closes: the graceful end of the stream. */
    public synchronized void finish() {
        halfCloseRequested = true;
        drain();
    }

    /** The stream ended; nothing more can be sent. */
    public synchronized void discard() {
        closed = true;
        queue.clear();
    }

    public synchronized int size() {
        return queue.size();
    }
}
