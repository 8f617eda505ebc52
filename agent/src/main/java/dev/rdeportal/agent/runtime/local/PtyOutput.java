package dev.rdeportal.agent.runtime.local;

import com.pty4j.unix.CLibrary;
import com.pty4j.unix.Pollfd;
import com.pty4j.unix.Pty;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntSupplier;

/**
 * A PTY's output whose {@link #available()} tells whether a read would return at once: pty4j's
 * stream always answers 0, so a reader could not tell a process that writes fast from one that
 * is quiet. Asks the kernel with a {@code poll} of the master side that does not wait, through
 * pty4j's own binding of libc. Answers 1 when output is ready (at least one byte: the kernel does
 * not say how much without another call), 0 otherwise.
 */
final class PtyOutput extends FilterInputStream {

    private final IntSupplier masterFd;

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
        Pollfd[] fds = {new Pollfd(fd, CLibrary.POLLIN)};
        return CLibrary.poll(fds, 0) > 0 && (fds[0].getRevents() & CLibrary.POLLIN) != 0 ? 1 : 0;
    }
}
