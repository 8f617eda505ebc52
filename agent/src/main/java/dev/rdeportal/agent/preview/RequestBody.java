package dev.rdeportal.agent.preview;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.function.IntConsumer;

/**
 * A request body arriving as channel frames, handed to the HTTP client as it asks for it. What
 * waits here is bounded by the gateway's credit; each chunk taken is acknowledged through
 * {@code taken}, which is what lets the gateway send more. One subscriber.
 */
final class RequestBody implements Flow.Publisher<ByteBuffer> {

    private final IntConsumer taken;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    // Guarded by this.
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean ended;
    private Throwable failure;
    private boolean done;
    private boolean draining;

    RequestBody(IntConsumer taken) {
        this.taken = taken;
    }

    /** A chunk from the gateway. */
    void add(ByteBuffer chunk) {
        synchronized (this) {
            if (done) {
                return;
            }
            chunks.add(chunk);
        }
        drain();
    }

    /** The gateway sent the whole body. */
    void end() {
        synchronized (this) {
            ended = true;
        }
        drain();
    }

    /** The channel broke: the request fails rather than sending a truncated body. */
    void fail(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = new IOException(reason);
            }
            chunks.clear();
        }
        drain();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        synchronized (this) {
            if (subscriber != null) {
                // A body that streams through cannot be read twice (the client does not retry it).
                s.onSubscribe(new Flow.Subscription() {
                    public void request(long n) {
                    }

                    public void cancel() {
                    }
                });
                s.onError(new IOException("the request body was already sent"));
                return;
            }
            subscriber = s;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (RequestBody.this) {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                synchronized (RequestBody.this) {
                    done = true;
                    chunks.clear();
                }
            }
        });
        drain();
    }

    /** Delivers what is wanted, from one thread at a time; reentrant calls leave it to the running one. */
    private void drain() {
        synchronized (this) {
            if (draining || subscriber == null) {
                return;
            }
            draining = true;
        }
        while (true) {
            ByteBuffer chunk = null;
            boolean complete = false;
            Throwable error = null;
            Flow.Subscriber<? super ByteBuffer> s;
            synchronized (this) {
                s = subscriber;
                if (done) {
                    draining = false;
                    return;
                }
                if (failure != null) {
                    error = failure;
                    done = true;
                } else if (demand > 0 && !chunks.isEmpty()) {
                    chunk = chunks.poll();
                    demand--;
                } else if (ended && chunks.isEmpty()) {
                    complete = true;
                    done = true;
                } else {
                    draining = false;
                    return;
                }
            }
            if (error != null) {
                s.onError(error);
            } else if (complete) {
                s.onComplete();
            } else {
                int size = chunk.remaining();
                s.onNext(chunk);
                taken.accept(size);
            }
        }
    }
}
