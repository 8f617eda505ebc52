package dev.rdeportal.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr, one line rewritten in place at most a few times a second, so
 * that stdout stays clean for pipes. Silent when nothing has changed.
 */
final class Progress {

    static final long INTERVAL_NANOS = 250_000_000L;

    private final PrintStream err;
    private final LongSupplier clock;
    private long last;
    private boolean shown;

    Progress(PrintStream err, LongSupplier nanoClock) {
        this.err = err;
        this.clock = nanoClock;
        this.last = nanoClock.getAsLong();
    }

    /** Shows {@code bytes} and {@code entries} if enough time has passed since the last line. */
    void update(long bytes, long entries) {
        long now = clock.getAsLong();
        if (now - last >= INTERVAL_NANOS) {
            last = now;
            show(bytes, entries);
        }
    }

    void done(long bytes, long entries) {
        show(bytes, entries);
        err.println();
    }

    void waiting(String what, long seconds) {
        err.print("\r" + what + " … " + seconds + " s");
        err.flush();
        shown = true;
    }

    void end() {
        if (shown) {
            err.println();
        }
    }

    private void show(long bytes, long entries) {
        err.print(String.format(Locale.ROOT, "\r%s, %,d entries", size(bytes), entries));
        err.flush();
        shown = true;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
