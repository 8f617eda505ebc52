package dev.rdeportal.agent.terminal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a terminal's output in frames of up to the frame size: {@link #awaitSome} waits for the
 * first bytes, {@link #gather} adds whatever the terminal has ready by then, without waiting for
 * more.
 *
 * <p>A PTY read returns at most what the kernel's line discipline holds (4 KiB on Linux), so a
 * process that writes fast would otherwise cost a channel frame, a gRPC message and a WebSocket
 * message per 4 KiB. A lone keystroke's echo is sent as soon as it is read: {@code gather} stops
 * the moment {@link InputStream#available()} says nothing more is ready. A stream whose
 * {@code available()} always answers 0 is therefore read exactly as before, one read per frame.
 *
 * <p>An end or failure met while gathering is kept for the next {@code awaitSome}, so the bytes
 * gathered before it are still sent. One reader thread.
 */
final class CoalescingReader {

    private final InputStream in;
    private IOException failed;
    private boolean ended;

    CoalescingReader(InputStream in) {
        this.in = in;
    }

    /** Blocks until the terminal has output: the number of bytes put at the start of {@code frame}, or -1 at its end. */
    int awaitSome(byte[] frame) throws IOException {
        if (failed != null) {
            throw failed;
        }
        if (ended) {
            return -1;
        }
        int n;
        do {
            n = in.read(frame, 0, frame.length);
        } while (n == 0);
        return n;
    }

    /**
     * Appends to the {@code length} bytes in {@code frame} what is ready now, up to the frame's
     * size; the new length.
     */
    int gather(byte[] frame, int length) {
        return gather(frame, length, frame.length);
    }

    /** As {@link #gather(byte[], int)}, up to {@code limit} bytes of {@code frame}. */
    int gather(byte[] frame, int length, int limit) {
        int end = Math.min(limit, frame.length);
        try {
            while (length < end && in.available() > 0) {
                int n = in.read(frame, length, end - length);
                if (n < 0) {
                    ended = true;
                    break;
                }
                length += n;
            }
        } catch (IOException e) {
            // Linux answers EIO once the process side is gone: the end, reported after these bytes.
            failed = e;
        }
        return length;
    }
}
