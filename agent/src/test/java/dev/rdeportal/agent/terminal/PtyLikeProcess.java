package dev.rdeportal.agent.terminal;

import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * A terminal process for tests whose output is {@code bytes} long, byte {@code i} being
 * {@code byteAt(i)}, read as from a PTY: nothing until {@code start} opens, then at most 4 KiB per
 * read, with {@code available} saying whether more is ready. It ends after its output.
 */
final class PtyLikeProcess implements TerminalProcess {

    private final int bytes;
    private final CountDownLatch start;
    private final IntFunction<Byte> byteAt;
    private int read;

    PtyLikeProcess(int bytes, CountDownLatch start, IntFunction<Byte> byteAt) {
        this.bytes = bytes;
        this.start = start;
        this.byteAt = byteAt;
    }

    /** A runtime whose every terminal is {@code process}. */
    static WorkspaceRuntime runtimeOf(TerminalProcess process) {
        return (WorkspaceRuntime) Proxy.newProxyInstance(WorkspaceRuntime.class.getClassLoader(),
                new Class<?>[] {WorkspaceRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "openTerminal" -> process;
                    case "name" -> "fake";
                    case "toString" -> "fake runtime";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    @Override
    public OutputStream input() {
        return new ByteArrayOutputStream();
    }

    @Override
    public InputStream output() {
        return new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                if (read >= bytes) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 4096), bytes - read);
                for (int i = 0; i < n; i++) {
                    b[off + i] = byteAt.apply(read + i);
                }
                read += n;
                return n;
            }

            @Override
            public int available() {
                return start.getCount() > 0 ? 0 : Math.min(4096, Math.max(bytes - read, 1));
            }
        };
    }

    @Override
    public void resize(int cols, int rows) {
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        return OptionalInt.of(0);
    }

    @Override
    public void close() {
    }
}
