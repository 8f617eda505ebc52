package dev.rdeportal.agent.runtime.local;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Keystrokes to a PTY's master side, written with the master in non-blocking mode, so a caller can
 * ask for a write that never waits ({@link #writeNow}) as well as one that does ({@link #write}).
 *
 * <p>Why: a keystroke used to be handed to a writer thread because a write to a PTY blocks once
 * the process stops reading its input (after about 64 KiB of unread input on Linux), and the
 * thread that receives keystrokes is the tunnel's transport thread, which must never block. With
 * the master non-blocking, the transport thread writes a keystroke itself whenever the PTY takes
 * it at once (nearly always), and hands only what the PTY would not take to the writer thread.
 *
 * <p>The non-blocking flag is on the master's open file, so it also applies to pty4j's reads of
 * it. pty4j polls before each read and only one thread reads, so a read still finds the bytes the
 * poll promised; pty4j's own output stream, which ignores short writes, is no longer used.
 *
 * <p>Linux only (the flag's value is Linux's); elsewhere {@link #of} answers empty and the
 * terminal keeps pty4j's blocking stream and the writer thread.
 */
final class PtyInput extends OutputStream {

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800; // 04000 on Linux x86-64 and arm64
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final short POLLOUT = 0x4;
    /** How long a blocking write waits for room before it looks again whether the terminal closed. */
    private static final int WAIT_MILLIS = 200;

    private final IntSupplier masterFd;
    private final Memory pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }

    private PtyInput(IntSupplier masterFd) {
        this.masterFd = masterFd;
    }

    /** Puts the master in non-blocking mode; empty (and nothing changed) where that is not supported. */
    static Optional<PtyInput> of(IntSupplier masterFd) {
        if (!Platform.isLinux() || !Libc.BOUND) {
            return Optional.empty();
        }
        int fd = masterFd.getAsInt();
        if (fd < 0) {
            return Optional.empty();
        }
        try {
            int flags = Libc.FCNTL.fcntl(fd, F_GETFL, 0);
            if (flags < 0 || Libc.FCNTL.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
                return Optional.empty();
            }
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return Optional.empty();
        }
        return Optional.of(new PtyInput(masterFd));
    }

    /**
     * Writes what the PTY takes without waiting: the number of bytes written, 0 if it takes none
     * now.
     *
     * @throws IOException once the terminal is closed or its process side is gone
     */
    int writeNow(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int fd = fd();
        try {
            long n = offset == 0 ? Libc.write(fd, bytes, length)
                    : writeCopy(fd, bytes, offset, length);
            return (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                return 0;
            }
            throw new IOException("terminal input: errno " + e.getErrorCode(), e);
        }
    }

    private static long writeCopy(int fd, byte[] bytes, int offset, int length) {
        byte[] part = new byte[length];
        System.arraycopy(bytes, offset, part, 0, length);
        return Libc.write(fd, part, length);
    }

    /** Writes all of it, waiting for the process to read while the PTY is full. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            int n = writeNow(bytes, offset, length);
            offset += n;
            length -= n;
            if (length > 0 && n == 0) {
                awaitRoom();
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    private void awaitRoom() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("terminal input: interrupted");
        }
        pollfd.setInt(0, fd());
        pollfd.setShort(4, POLLOUT);
        pollfd.setShort(6, (short) 0);
        try {
            Libc.poll(pollfd, 1, WAIT_MILLIS);
        } catch (LastErrorException e) {
            // EINTR: look again
        }
    }

    private int fd() throws IOException {
        int fd = masterFd.getAsInt();
        if (fd < 0) {
            throw new IOException("terminal input: the terminal is closed");
        }
        return fd;
    }

    /**
     * libc, bound directly (a call costs about a microsecond), with {@code size_t}, {@code ssize_t}
     * and {@code nfds_t} as Java {@code long}s as in {@link PtyOutput} (64-bit Linux only); fcntl,
     * variadic, through an interface.
     */
    private static final class Libc {
        static final boolean BOUND = bind();
        static final Fcntl FCNTL = BOUND ? Native.load(Platform.C_LIBRARY_NAME, Fcntl.class) : null;

        static native long write(int fd, byte[] bytes, long count) throws LastErrorException;

        static native int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

        private static boolean bind() {
            if (Native.LONG_SIZE != Long.BYTES) {
                return false;
            }
            try {
                Native.register(Libc.class, Platform.C_LIBRARY_NAME);
                return true;
            } catch (LinkageError e) {
                return false;
            }
        }
    }

    interface Fcntl extends Library {
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
    }
}
