package dev.rdeportal.agent.runtime.local;

import com.pty4j.PtyProcess;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import dev.rdeportal.agent.runtime.TerminalProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A process on a pseudo-terminal of the agent's host. */
final class PtyTerminal implements TerminalProcess {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.local.pty");

    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final String workspaceId;
    private final PtyProcess process;
    private final InputStream output;
    /** Null where the master cannot be made non-blocking: then pty4j's stream, written on a thread that may block. */
    private final PtyInput input;

    PtyTerminal(String workspaceId, PtyProcess process) {
        this.workspaceId = workspaceId;
        this.process = process;
        // A keystroke can then be written by a thread that must not block (see PtyInput).
        this.input = process instanceof UnixPtyProcess unix
                ? PtyInput.of(unix.getPty()::getMasterFD).orElse(null)
                : null;
        // Knowing what output is ready lets the terminal session fill a frame from several reads.
        this.output = process instanceof UnixPtyProcess unix
                ? PtyOutput.of(process.getInputStream(), unix.getPty(), input != null)
                : process.getInputStream();
    }

    @Override
    public OutputStream input() {
        return input != null ? input : process.getOutputStream();
    }

    @Override
    public int writeNow(byte[] bytes, int offset, int length) throws java.io.IOException {
        return input != null ? input.writeNow(bytes, offset, length) : -1;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public void resize(int cols, int rows) {
        if (cols <= 0 || rows <= 0) {
            throw new IllegalArgumentException("terminal size must be positive, got " + cols + "x" + rows);
        }
        try {
            process.setWinSize(new WinSize(cols, rows));
        } catch (RuntimeException e) {
            // A failed resize leaves a usable terminal with the old size: not worth ending the session.
            log.warn("resize terminal in workspace {} to {}x{}: {}", workspaceId, cols, rows, e.toString());
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        // Programs started from the shell share its session; end them too, not only the shell.
        // (pty4j's process does not support toHandle(); look it up by pid.)
        List<ProcessHandle> tree = ProcessHandle.of(process.pid())
                .map(h -> Stream.concat(h.descendants(), Stream.of(h)).toList())
                .orElse(List.of());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        // An interactive shell ignores SIGTERM, as do many programs in a terminal: whatever is still
        // there after a grace period is killed, without blocking the caller.
        CompletableFuture.delayedExecutor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly));
    }
}
