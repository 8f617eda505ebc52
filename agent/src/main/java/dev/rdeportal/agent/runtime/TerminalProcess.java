package dev.rdeportal.agent.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A process attached to a terminal inside a workspace: a PTY locally, an exec with a TTY in
 * Kubernetes. Output is the terminal's combined output (a TTY has no separate stderr).
 */
public interface TerminalProcess extends AutoCloseable {

    /** Keystrokes to the terminal. */
    OutputStream input();

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
