package dev.rdeportal.agent.preview;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * A request body arriving as channel frames, taken by the stream's thread as it writes them to
 * the app. What waits here is bounded by the gateway's credit; each chunk taken is acknowledged
 * through {@code taken}, which is what lets the gateway send more. One reader.
 */
final class RequestBody {

    private final IntConsumer taken;
    // Guarded by this.
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private boolean ended;
    private String failure;

    RequestBody(IntConsumer taken) {
        this.taken = taken;
    }

    /** A chunk from the gateway. */
    synchronized void add(ByteBuffer chunk) {
        if (failure != null || ended) {
            return;
        }
        chunks.add(chunk);
        notifyAll();
    }

    /** The gateway sent the whole body. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The channel broke: the request fails rather than sending a truncated body. */
    synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        chunks.clear();
        notifyAll();
    }

    /**
     * The next chunk, waiting for it; null once the whole body was taken. Throws if the channel
     * broke first.
     */
    ByteBuffer take() throws IOException {
        ByteBuffer chunk;
        synchronized (this) {
            while (true) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                chunk = chunks.poll();
                if (chunk != null || ended) {
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for the request body");
                }
            }
        }
        if (chunk != null) {
            taken.accept(chunk.remaining());
        }
        return chunk;
    }
}
