package dev.rdeportal.bench;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's direct libc binding for a terminal's output (PtyOutput.Poll): a 4 KiB {@code read}
 * into a JNA {@link Memory} and a {@code poll} of one fd that does not wait, with {@code size_t},
 * {@code ssize_t} and {@code nfds_t} bound as {@link NativeLong} (the baseline, as the agent had
 * it) and as Java {@code long} (ours). JNA builds a {@code NativeLong} result by reflection on
 * every call. The fd is {@code /dev/zero}: it always has 4 KiB ready and costs the kernel little,
 * so what differs between the two is JNA's cost per call, not the kernel's. Run with
 * {@code bench/run.sh jmh}; results go in bench/RESULTS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class PtyReadBinding {

    private static final int BYTES = 4096; // what one read of a PTY returns at most
    private static final NativeLong BYTES_NATIVE = new NativeLong(BYTES); // as the agent had it: one constant
    private static final NativeLong ONE = new NativeLong(1);
    private static final short POLLIN = 1;
    private static final int O_RDONLY = 0;

    private int fd = -1;
    private Memory buffer;
    private Memory pollfd; // struct pollfd { int fd; short events; short revents; }

    @Setup
    public void open() {
        if (Native.LONG_SIZE != Long.BYTES) {
            throw new IllegalStateException("the long binding needs a 64-bit C long (size_t), not " + Native.LONG_SIZE + " bytes");
        }
        fd = Files.open("/dev/zero", O_RDONLY);
        if (fd < 0) {
            throw new IllegalStateException("open /dev/zero: errno " + Native.getLastError());
        }
        buffer = new Memory(BYTES);
        pollfd = new Memory(8);
        pollfd.setInt(0, fd);
        pollfd.setShort(4, POLLIN);
        pollfd.setShort(6, (short) 0);
        // Both bindings must do the same work, or the ratio compares different calls.
        if (readBaseline() != BYTES || readOurs() != BYTES || pollBaseline() != 1 || pollOurs() != 1) {
            throw new IllegalStateException("/dev/zero: a read did not return " + BYTES + " bytes or a poll found it not ready");
        }
    }

    @TearDown
    public void close() {
        Files.close(fd);
    }

    @Benchmark
    public long readBaseline() {
        return NativeLongBinding.read(fd, buffer, BYTES_NATIVE).longValue();
    }

    @Benchmark
    public long readOurs() {
        return LongBinding.read(fd, buffer, BYTES);
    }

    @Benchmark
    public int pollBaseline() {
        return NativeLongBinding.poll(pollfd, ONE, 0);
    }

    @Benchmark
    public int pollOurs() {
        return LongBinding.poll(pollfd, 1, 0);
    }

    /** The binding the agent had. */
    private static final class NativeLongBinding {
        static {
            Native.register(NativeLongBinding.class, Platform.C_LIBRARY_NAME);
        }

        static native int poll(Pointer fds, NativeLong nfds, int timeout);

        static native NativeLong read(int fd, Pointer buffer, NativeLong count);
    }

    /** The binding the agent has now (64-bit Linux: a C long is a Java long). */
    private static final class LongBinding {
        static {
            Native.register(LongBinding.class, Platform.C_LIBRARY_NAME);
        }

        static native int poll(Pointer fds, long nfds, int timeout);

        static native long read(int fd, Pointer buffer, long count);
    }

    /** Opens the fd both read, in the same direct style; not measured. */
    private static final class Files {
        static {
            Native.register(Files.class, Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags);

        static native int close(int fd);
    }
}
