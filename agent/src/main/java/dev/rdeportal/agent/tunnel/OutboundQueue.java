package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.v1.AgentMessage;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayDeque;

/**
 * Messages to the gateway, written only while the transport is ready so that gRPC never buffers
 * without bound. Messages are small and few; a full queue means the gateway stopped reading, and
 * the caller tears the stream down. Callers on any thread; {@code onNext} is never concurrent.
 */
final class OutboundQueue {

    private final ClientCallStreamObserver<AgentMessage> stream;
    private final int capacity;
    private final ArrayDeque<AgentMessage> queue = new ArrayDeque<>();
    private boolean halfCloseRequested;
    private boolean closed;

    OutboundQueue(ClientCallStreamObserver<AgentMessage> stream, int capacity) {
        this.stream = stream;
        this.capacity = capacity;
    }

    /** False when the queue is full or closed; the message is then dropped. */
    synchronized boolean offer(AgentMessage message) {
        if (closed || halfCloseRequested || queue.size() >= capacity) {
            return false;
        }
        queue.add(message);
        drain();
        return true;
    }

    /** Runs on the transport's onReady callback and after each offer. */
    synchronized void drain() {
        if (closed) {
            return;
        }
        while (!queue.isEmpty() && stream.isReady()) {
            stream.onNext(queue.poll());
        }
        if (halfCloseRequested && queue.isEmpty()) {
            closed = true;
            stream.onCompleted();
        }
    }

    /** Sends what is queued, then half-closes: the graceful end of the stream. */
    synchronized void finish() {
        halfCloseRequested = true;
        drain();
    }

    /** The stream ended; nothing more can be sent. */
    synchronized void discard() {
        closed = true;
        queue.clear();
    }

    synchronized int size() {
        return queue.size();
    }
}
