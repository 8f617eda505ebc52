package dev.rdeportal.agent.runtime.kubernetes;

import dev.rdeportal.agent.runtime.TerminalProcess;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An exec with a TTY in the workspace container, as the SPI's terminal. */
final class ExecTerminal implements TerminalProcess {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.kubernetes.terminal");

    /**
     * Images differ: bash when there is one, else sh. The window size is set by the shell itself
     * before anything draws, because the first resize message may arrive after the prompt; the
     * command travels as a positional argument so it is never re-parsed by this outer shell.
     */
    private static final String LAUNCHER = "stty cols \"$1\" rows \"$2\" 2>/dev/null; export TERM=xterm-256color; "
            + "cd /workspace 2>/dev/null; "
            + "if command -v bash >/dev/null 2>&1; then sh=bash; else sh=sh; fi; "
            + "if [ -z \"$3\" ]; then exec \"$sh\" -l; else exec \"$sh\" -lc \"$3\"; fi";

    private final String workspaceId;
    private final ExecWatch watch;

    ExecTerminal(String workspaceId, ExecWatch watch, int cols, int rows) {
        this.workspaceId = workspaceId;
        this.watch = watch;
        resize(cols, rows);
    }

    static String[] command(String command, int cols, int rows) {
        return new String[] {"sh", "-c", LAUNCHER, "rde-terminal", String.valueOf(cols), String.valueOf(rows),
                command == null ? "" : command.strip()};
    }

    @Override
    public OutputStream input() {
        return watch.getInput();
    }

    @Override
    public InputStream output() {
        return watch.getOutput();
    }

    /** A failed resize leaves a wrongly sized window, not a broken terminal: logged, not thrown. */
    @Override
    public void resize(int cols, int rows) {
        try {
            watch.resize(cols, rows);
        } catch (RuntimeException e) {
            log.warn("terminal in workspace {}: resize to {}x{} failed: {}", workspaceId, cols, rows, e.toString());
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        try {
            Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // The API reports no code when the stream ended without a status (e.g. the pod went away).
            return OptionalInt.of(code == null ? -1 : code);
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            return OptionalInt.of(-1);
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (RuntimeException e) {
            log.debug("terminal in workspace {}: close failed", workspaceId, e);
        }
    }
}
