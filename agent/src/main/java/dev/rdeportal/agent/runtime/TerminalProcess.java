package dev.rdeportal.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A process attached to a terminal inside a workspace: a PTY locally (pty4j), an exec with a TTY
 * in Kubernetes (fabric8 {@code exec().withTTY()}: stdin, stdout, the resize channel, the status
 * channel). Output is the terminal's combined output (a TTY has no separate stderr).
 *
 * <p>The contract the terminal sessions rely on:
 * <ul>
 *   <li>{@link #output()} is read by one thread, blocking, and ends (EOF or an
 *       {@link java.io.IOException}) once the process is gone, or the terminal is closed;</li>
 *   <li>{@link #input()} is written by one other thread; a write may block while the process
 *       does not read (that back-pressure reaches the client);</li>
 *   <li>{@link #waitFor} then yields the exit status if there is one (Kubernetes: the status
 *       channel's exit code);</li>
 *   <li>{@link #resize} may be called at any time from any thread and may apply asynchronously;</li>
 *   <li>{@link #close} ends the process and whatever it started (locally SIGTERM, then SIGKILL
 *       after a grace period; in Kubernetes closing the exec alone would leave the shell running
 *       in the pod, so an implementation must also end it there).</li>
 * </ul>
 */
public interface TerminalProcess extends AutoCloseable {

    /** Keystrokes to the terminal. */
    OutputStream input();

    /**
     * Writes what the terminal takes at once, without ever blocking: the number of bytes written
     * (0 when it takes none now), or -1 when this terminal cannot write without possibly blocking.
     * The caller writes the rest (or all, on -1) through {@link #input()} on a thread that may
     * block. Called by the thread that receives keystrokes, never concurrently with a write to
     * {@link #input()}.
     *
     * @throws IOException when the terminal's input is closed
     */
    default int writeNow(byte[] bytes, int offset, int length) throws IOException {
        return -1;
    }

    /** What the terminal displays. */
    InputStream output();

    /** Changes the window size; the process sees SIGWINCH. */
    void resize(int cols, int rows);

    /** Waits up to {@code timeout}; the exit code if the process ended by then. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    /** Ends the process (and what it started) if still running. Never throws. */
    @Override
    void close();
}
