package dev.rdeportal.agent.runtime.local;

import com.pty4j.unix.CLibrary;
import com.pty4j.unix.Pollfd;
import com.pty4j.unix.Pty;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntSupplier;

/**
 * A PTY's output whose {@link #available()} tells whether a read would return at once: pty4j's
 * stream always answers 0, so a reader could not tell a process that writes fast from one that
 * is quiet. Asks the kernel with a {@code poll} of the master side that does not wait. Answers 1
 * when output is ready (at least one byte: the kernel does not say how much without another
 * call), 0 otherwise. One reader thread.
 *
 * <p>When the master is non-blocking (see {@link PtyInput}), reads go to the kernel directly, and
 * wait for output with a direct {@code poll}. pty4j's read costs a poll through its reflective JNA
 * binding and two array copies, about 100 µs here, and a PTY read returns at most about 4 KiB:
 * that capped a terminal's output at some 20 MiB/s. The direct read costs about a microsecond.
 * pty4j's read also woke on a pipe when the terminal was closed; the direct wait instead wakes
 * on the hang-up the kernel reports once the process side is gone (the way a terminal normally
 * ends, and what closing it does), and looks again every {@value #WAIT_MILLIS} ms whether pty4j
 * closed the master.
 */
final class PtyOutput extends FilterInputStream {

    private static final short POLLIN = CLibrary.POLLIN;

    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EIO = 5;
    private static final int EBADF = 9;
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int WAIT_MILLIS = 100;

    private final IntSupplier masterFd;
    private final boolean nonBlocking;
    private final Memory pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
    private Memory buffer; // for direct reads, allocated on the first
    // Direct reads only, on the one reader thread: output read but not yet returned, at buffer[at].
    private int at;
    private int pending;
    private boolean drained; // the last direct read found nothing ready
    private boolean ended;

    PtyOutput(InputStream pty, IntSupplier masterFd, boolean nonBlocking) {
        super(pty);
        this.masterFd = masterFd;
        this.nonBlocking = nonBlocking && Poll.BOUND;
    }

    /** @param nonBlocking whether the master was made non-blocking: reads may then go to the kernel directly */
    static PtyOutput of(InputStream pty, Pty master, boolean nonBlocking) {
        return new PtyOutput(pty, master::getMasterFD, nonBlocking);
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!nonBlocking) {
            return super.read(bytes, offset, length);
        }
        while (pending == 0) {
            if (ended) {
                return -1;
            }
            int fd = masterFd.getAsInt();
            if (fd < 0) {
                return super.read(bytes, offset, length); // closed: pty4j answers as it always did
            }
            if (drained) {
                awaitOutput(fd); // the last read found nothing: wait before reading again
            }
            fill(fd);
        }
        int n = Math.min(length, pending);
        buffer.read(at, bytes, offset, n);
        at += n;
        pending -= n;
        return n;
    }

    /**
     * One non-blocking read of the master into {@link #buffer}: sets {@link #pending}, or
     * {@link #drained} when nothing was ready, or {@link #ended}. errno comes from JNA's copy
     * ({@link Native#getLastError}), not a {@link LastErrorException}: a read that would block is
     * the normal end of every burst of output, and an exception with its stack trace cost more
     * than the read.
     */
    private void fill(int fd) throws IOException {
        if (buffer == null) {
            buffer = new Memory(BUFFER_BYTES);
        }
        long n = Poll.read(fd, buffer, BUFFER_BYTES);
        drained = false;
        if (n > 0) {
            at = 0;
            pending = (int) n;
            return;
        }
        if (n == 0) {
            ended = true; // as pty4j: the end of output
            return;
        }
        int errno = Native.getLastError();
        if (errno == EAGAIN || errno == EINTR) {
            drained = errno == EAGAIN;
        } else if (errno == EIO || errno == EBADF) {
            ended = true; // Linux: the process side is gone (the normal end), or the master was closed
        } else {
            throw new IOException("terminal output: errno " + errno);
        }
    }

    private void awaitOutput(int fd) {
        pollfd.setInt(0, fd);
        pollfd.setShort(4, POLLIN);
        pollfd.setShort(6, (short) 0);
        Poll.poll(pollfd, 1, WAIT_MILLIS); // a hang-up or an error wakes it too; the read then tells
    }

    /**
     * Direct reads: what the last read left, or else what one non-blocking read gets now (kept for
     * the next {@link #read}); 1 at the end, so that the reader reads it. One syscall per chunk of
     * output either way, where asking with a {@code poll} first cost two.
     */
    @Override
    public int available() throws IOException {
        int buffered = super.available(); // throws once the PTY is closed
        if (buffered > 0) {
            return buffered;
        }
        if (pending > 0 || ended) {
            return Math.max(pending, 1);
        }
        int fd = masterFd.getAsInt();
        if (fd < 0) {
            return 0;
        }
        if (nonBlocking) {
            fill(fd);
            return pending > 0 || ended ? Math.max(pending, 1) : 0;
        }
        // The fd is read without pty4j's lock: a close racing this poll makes its answer wrong,
        // never harmful, since the read that follows goes through pty4j and sees the close.
        return ready(fd) ? 1 : 0;
    }

    private boolean ready(int fd) {
        if (Poll.BOUND) {
            pollfd.setInt(0, fd);
            pollfd.setShort(4, POLLIN);
            pollfd.setShort(6, (short) 0);
            return Poll.poll(pollfd, 1, 0) > 0 && (pollfd.getShort(6) & POLLIN) != 0;
        }
        Pollfd[] fds = {new Pollfd(fd, POLLIN)};
        return CLibrary.poll(fds, 0) > 0 && (fds[0].getRevents() & POLLIN) != 0;
    }

    /**
     * libc's {@code poll}, bound directly: pty4j's own binding builds JNA structures by reflection
     * on every call, 35–90 µs here, which a lone keystroke's echo and every 4 KiB of a flood would
     * pay; a direct call costs about a microsecond. {@code nfds_t}, {@code size_t} and {@code ssize_t}
     * are bound as Java {@code long}s, which they are on 64-bit Linux (elsewhere the binding is not
     * made): a {@code NativeLong} result was built by reflection on every read, 5% of the reader's
     * time while output streamed (session 10 profile).
     */
    private static final class Poll {
        static final boolean BOUND = bind();

        static native int poll(Pointer fds, long nfds, int timeout);

        /** -1 with errno in {@link Native#getLastError} when nothing is ready (EAGAIN) or the terminal is gone. */
        static native long read(int fd, Pointer buffer, long count);

        private static boolean bind() {
            if (Native.LONG_SIZE != Long.BYTES) {
                return false;
            }
            try {
                Native.register(Poll.class, Platform.C_LIBRARY_NAME);
                return true;
            } catch (LinkageError e) {
                return false; // pty4j's binding still answers, only slower
            }
        }
    }
}
