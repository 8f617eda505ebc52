package dev.rdeportal.gateway.terminal;

import com.google.protobuf.ByteString;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.ChannelFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A terminal's frames from the agent as what the relay writes to the client: a control frame
 * (ready, close) alone, or a run of data frames joined into one message of at most
 * {@code maxBytes}.
 *
 * <p>A batch is formed only when it is requested, and the relay requests the next one once the
 * socket has taken the last ({@code concatMap} without prefetch). So what arrived during a write
 * leaves in the next single write, which keeps the relay from paying a whole write per small frame
 * while output floods, and a keystroke's echo that finds the socket idle leaves at once, alone.
 *
 * <p>Holds at most {@value #PREFETCH} frames; the rest wait in the channel's bounded queue, which
 * the agent's credit bounds in turn.
 */
final class OutputBatches {

    static final int PREFETCH = 64;

    private OutputBatches() {
    }

    /**
     * What one write sends: {@code control}, or {@code data} from {@code frames} data frames whose
     * channel cost (what the agent charged for them) is {@code cost}.
     */
    record Batch(ChannelFrame control, ByteString data, int frames, int cost) {

        static Batch of(ChannelFrame control) {
            return new Batch(control, ByteString.EMPTY, 1, 0);
        }
    }

    static Flux<Batch> of(Flux<ChannelFrame> frames, int maxBytes) {
        return Flux.create(sink -> {
            Gatherer gatherer = new Gatherer(sink, maxBytes);
            sink.onRequest(n -> gatherer.drain());
            sink.onDispose(gatherer::dispose);
            frames.subscribe(gatherer);
            // A batch is emitted only against demand, so the sink needs no buffer of its own.
        }, FluxSink.OverflowStrategy.ERROR);
    }

    private static final class Gatherer extends BaseSubscriber<ChannelFrame> {

        private final FluxSink<Batch> sink;
        private final int maxBytes;
        private final Queue<ChannelFrame> queue = new ConcurrentLinkedQueue<>();
        // Frames arrive on the transport's thread, requests on the socket's: one drains at a time,
        // and a drain that another signal interrupted runs again (the usual work-in-progress loop).
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean done;
        private volatile Throwable error;
        private boolean finished; // only the draining thread

        Gatherer(FluxSink<Batch> sink, int maxBytes) {
            this.sink = sink;
            this.maxBytes = maxBytes;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(PREFETCH);
        }

        @Override
        protected void hookOnNext(ChannelFrame frame) {
            queue.add(frame);
            drain();
        }

        @Override
        protected void hookOnComplete() {
            done = true;
            drain();
        }

        @Override
        protected void hookOnError(Throwable e) {
            error = e;
            done = true;
            drain();
        }

        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                int taken = 0;
                while (!finished && sink.requestedFromDownstream() > 0 && !queue.isEmpty()) {
                    Batch batch = next();
                    taken += batch.frames();
                    sink.next(batch);
                }
                if (taken > 0 && !finished) {
                    // May deliver frames at once, on this thread: they wait for the next loop.
                    request(taken);
                }
                if (!finished && done && queue.isEmpty()) {
                    finished = true;
                    Throwable e = error;
                    if (e != null) {
                        sink.error(e);
                    } else {
                        sink.complete();
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private Batch next() {
            ChannelFrame first = queue.poll();
            if (!first.hasData()) {
                return Batch.of(first);
            }
            ByteString data = first.getData();
            int frames = 1;
            int cost = ProtocolVersions.channelCost(data.size());
            ChannelFrame more;
            while ((more = queue.peek()) != null && more.hasData() && data.size() + more.getData().size() <= maxBytes) {
                queue.poll();
                data = data.concat(more.getData());
                frames++;
                cost += ProtocolVersions.channelCost(more.getData().size());
            }
            return new Batch(null, data, frames, cost);
        }
    }
}
