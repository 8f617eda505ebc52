package dev.rdeportal.agent.runtime.local;

import com.pty4j.unix.CLibrary;
import com.pty4j.unix.Pollfd;
import com.pty4j.unix.Pty;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
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
 */
final class PtyOutput extends FilterInputStream {

    private static final short POLLIN = CLibrary.POLLIN;
    private static final NativeLong ONE = new NativeLong(1);

    private final IntSupplier masterFd;
    private final Memory pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }

    PtyOutput(InputStream pty, IntSupplier masterFd) {
        super(pty);
        this.masterFd = masterFd;
    }

    static PtyOutput of(InputStream pty, Pty master) {
        return new PtyOutput(pty, master::getMasterFD);
    }

    @Override
    public int available() throws IOException {
        int buffered = super.available(); // throws once the PTY is closed
        if (buffered > 0) {
            return buffered;
        }
        int fd = masterFd.getAsInt();
        if (fd < 0) {
            return 0;
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
            return Poll.poll(pollfd, ONE, 0) > 0 && (pollfd.getShort(6) & POLLIN) != 0;
        }
        Pollfd[] fds = {new Pollfd(fd, POLLIN)};
        return CLibrary.poll(fds, 0) > 0 && (fds[0].getRevents() & POLLIN) != 0;
    }

    /**
     * libc's {@code poll}, bound directly: pty4j's own binding builds JNA structures by reflection
     * on every call, 35–90 µs here, which a lone keystroke's echo and every 4 KiB of a flood would
     * pay; a direct call costs about a microsecond.
     */
    private static final class Poll {
        static final boolean BOUND = bind();

        static native int poll(Pointer fds, NativeLong nfds, int timeout);

        private static boolean bind() {
            try {
                Native.register(Poll.class, Platform.C_LIBRARY_NAME);
                return true;
            } catch (LinkageError e) {
                return false; // pty4j's binding still answers, only slower
            }
        }
    }
}
