package dev.rdeportal.gateway;

import dev.rdeportal.proto.v1.GatewayMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;

/**
 * The gateway's side of one control stream, with gRPC flow control: messages go out only while the
 * transport is ready, the rest wait in a bounded queue that drains from the on-ready handler.
 *
 * <p>The queue is bounded on purpose. An agent that does not read its stream must not make the
 * portal's memory grow; when the queue is full the caller closes the stream, the agent reconnects,
 * and reconciliation re-sends whatever it still needs. All writes to the observer go through this
 * class under one lock, because a {@link ServerCallStreamObserver} is not thread-safe and messages
 * come from gRPC callbacks, the command bus and the heartbeat scheduler alike.
 */
final class Outbox {

    enum Offer { ACCEPTED, OVERFLOW, CLOSED }

    private final ServerCallStreamObserver<GatewayMessage> out;
    private final int capacity;
    private final ArrayDeque<GatewayMessage> queue = new ArrayDeque<>();
    private boolean finished;

    Outbox(ServerCallStreamObserver<GatewayMessage> out, int capacity) {
        this.out = out;
        this.capacity = capacity;
    }

    synchronized Offer offer(GatewayMessage message) {
        if (finished) {
            return Offer.CLOSED;
        }
        if (queue.size() >= capacity) {
            return Offer.OVERFLOW;
        }
        queue.add(message);
        drain();
        return Offer.ACCEPTED;
    }

    /** Called from the stream's on-ready handler, and after every offer. */
    synchronized void drain() {
        while (!finished && !queue.isEmpty() && out.isReady()) {
            out.onNext(queue.poll());
        }
    }

    /** Ends the stream with an error status; what is still queued is dropped (reconciliation re-sends). */
    synchronized void fail(Status status) {
        if (finish()) {
            out.onError(status.asRuntimeException());
        }
    }

    /** Ends the stream normally, after the agent ended its side. */
    synchronized void complete() {
        if (finish()) {
            out.onCompleted();
        }
    }

    /** The call is already gone (cancelled, connection lost): nothing may be written any more. */
    synchronized void abandon() {
        finish();
    }

    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        queue.clear();
        return true;
    }
}
