package dev.rdeportal.agent.runtime.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the local runtime.
 *
 * @param root             directory holding one sub-directory per workspace
 * @param stopGrace        how long a process tree gets after SIGTERM before it is killed
 * @param failFastWindow   a start command that exits non-zero within this long counts as FAILED
 * @param logLimitBytes    {@code logs/start.log} is rotated once it grows past this
 * @param logCheckInterval how often log sizes are checked
 */
public record LocalRuntimeConfig(Path root, Duration stopGrace, Duration failFastWindow, long logLimitBytes,
                                 Duration logCheckInterval) {

    public static final long DEFAULT_LOG_LIMIT = 1024 * 1024;

    public LocalRuntimeConfig {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        stopGrace = positiveOr(stopGrace, Duration.ofSeconds(5), "stopGrace");
        failFastWindow = positiveOr(failFastWindow, Duration.ofSeconds(2), "failFastWindow");
        logCheckInterval = positiveOr(logCheckInterval, Duration.ofSeconds(5), "logCheckInterval");
        if (logLimitBytes <= 0) {
            logLimitBytes = DEFAULT_LOG_LIMIT;
        }
    }

    public static LocalRuntimeConfig defaults(Path root) {
        return new LocalRuntimeConfig(root, null, null, 0, null);
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
