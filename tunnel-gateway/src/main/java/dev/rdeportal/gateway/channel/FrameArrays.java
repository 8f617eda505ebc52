package dev.rdeportal.gateway.channel;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.rdeportal.proto.ProtocolVersions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays that inbound channel frames are read into, handed out again once the bytes they hold
 * have been written to a client. A bulk preview moved ~1 GB of 64 KiB arrays through the
 * portal's heap per GB, and G1 grew the heap under that pressure (the portal's RSS rose 25-45 MiB
 * in some bulk rounds, session 6). With arrays coming back, a stream allocates none once the pool
 * is warm.
 *
 * <p>Safe by construction: an array goes back only when the Netty buffer made by
 * {@link #toByteBuf} is released (after the socket took its bytes, or when it was dropped), and
 * that buffer is the only reader left: the frame it came from is not looked at again by the
 * relay (the preview relay's bodies, a terminal's output). Frames nobody hands to
 * {@link #toByteBuf} (response heads, keystrokes, output joined from several frames, a cancelled
 * response) simply leave their array to the garbage collector.
 */
public final class FrameArrays {

    /** One data frame of the largest size, with room for its protobuf tags. */
    public static final int SIZE = ProtocolVersions.PREVIEW_MAX_FRAME_BYTES + 64;
    /** Messages below this get an array of their own size. */
    static final int SMALLEST = 16 * 1024;
    /** 2 MiB at most waits here: two preview windows. */
    static final int POOLED = 32;

    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(POOLED);

    private FrameArrays() {
    }

    /**
     * An array for a message of {@code size} bytes: for a bulk-sized message (from {@link #SMALLEST}
     * up to {@link #SIZE}) a pooled one if one is large enough, else a fresh one of exactly that
     * size. Frames that never come back (a terminal's output) thus cost what they did before, and
     * small frames (heads, acks, keystrokes) never touch the pool.
     */
    public static byte[] take(int size) {
        if (size >= SMALLEST && size <= SIZE) {
            byte[] pooled = POOL.poll();
            if (pooled != null && pooled.length >= size) {
                return pooled;
            }
        }
        return new byte[size];
    }

    static void give(byte[] array) {
        if (array.length >= SMALLEST && array.length <= SIZE) {
            POOL.offer(array); // dropped when full
        }
    }

    /** Arrays waiting to be taken (for tests). */
    static int pooled() {
        return POOL.size();
    }

    /**
     * {@code data} as a Netty buffer over the same bytes, no copy; its array comes back here when
     * the buffer is released. Data not held in one array is wrapped as before, read-only.
     */
    public static ByteBuf toByteBuf(ByteString data) {
        ByteBuf[] view = {null};
        try {
            UnsafeByteOperations.unsafeWriteTo(data, new ByteOutput() {
                @Override
                public void writeLazy(byte[] value, int offset, int length) {
                    if (view[0] == null && length == data.size()) {
                        view[0] = new Returning(value).setIndex(offset, offset + length);
                    }
                }

                @Override
                public void write(byte value) {
                }

                @Override
                public void write(byte[] value, int offset, int length) {
                }

                @Override
                public void write(ByteBuffer value) {
                }

                @Override
                public void writeLazy(ByteBuffer value) {
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return view[0] != null ? view[0] : Unpooled.wrappedBuffer(data.asReadOnlyByteBuffer());
    }

    /** A heap buffer over a frame's array that gives the array back when released. */
    private static final class Returning extends UnpooledHeapByteBuf {
        Returning(byte[] array) {
            super(ByteBufAllocator.DEFAULT, array, array.length);
        }

        @Override
        protected void freeArray(byte[] array) {
            give(array);
        }
    }
}
