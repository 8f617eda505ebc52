package dev.rdeportal.portal.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One kind of limit ("API requests per user") kept separately for every key (a user, an address):
 * at most {@code limit} calls per window of each key, counted by a resilience4j
 * {@link AtomicRateLimiter} of its own. A key's windows start at its first call and follow each
 * other back to back; a call that finds the window's permits spent is refused, with the time until
 * that window ends. Every call counts, accepted or refused: an accepted call takes one of the
 * window's permits, a refused one is refused because none is left — and it never borrows from the
 * next window (the limiter never waits or reserves ahead), so hammering does not extend a refusal.
 *
 * <p>Memory is bounded: limiters live in a Caffeine cache of at most {@code maxKeys} entries that
 * forgets a key once it has been idle for a whole window. Forgetting an idle key loses nothing — its
 * last window is over. Only when more than {@code maxKeys} keys are active within one window does
 * the cache evict active ones, which then start afresh (documented as a limit of the design).
 *
 * <p>A new limit replaces every limiter, so it applies at once, each key starting a fresh window
 * (resilience4j's own {@code changeLimitForPeriod} would wait for each key's next window).
 */
final class KeyedRateLimiter {

    /** {@code retryAfterSeconds} is whole seconds until the refusing window ends, at least 1; 0 when allowed. */
    record Decision(boolean allowed, long retryAfterSeconds) {

        static final Decision ALLOWED = new Decision(true, 0);
    }

    private final Duration window;
    private final LongSupplier nanoTime;
    private final Cache<String, AtomicRateLimiter> limiters;
    private volatile RateLimiterConfig config;

    /**
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}); tests pass their own
     */
    KeyedRateLimiter(int limit, Duration window, long maxKeys, LongSupplier nanoTime) {
        this.window = window;
        this.nanoTime = nanoTime;
        this.config = config(limit);
        this.limiters = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(window.toNanos(), TimeUnit.NANOSECONDS)
                .ticker(nanoTime::getAsLong)
                // Eviction work on the calling thread: no pool, and deterministic under a test clock.
                .executor(Runnable::run)
                .build();
    }

    private RateLimiterConfig config(int limit) {
        return RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(window)
                // Never wait for a permit on the request's thread: refuse and say when to come back.
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    /** Counts one call of {@code key}. */
    Decision acquire(String key) {
        AtomicRateLimiter limiter = limiters.get(key, k -> new AtomicRateLimiter("rate-limit", config, nanoTime::getAsLong));
        if (limiter.acquirePermission(1)) {
            return Decision.ALLOWED;
        }
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
        return new Decision(false, seconds);
    }

    int limit() {
        return config.getLimitForPeriod();
    }

    /** From the next call on, every key gets {@code limit} calls per window, starting with a fresh one. */
    void limit(int limit) {
        if (limit == config.getLimitForPeriod()) {
            return;
        }
        config = config(limit);
        limiters.invalidateAll();
    }

    /** Keys currently held (after pending evictions), for tests and metrics. */
    long trackedKeys() {
        limiters.cleanUp();
        return limiters.estimatedSize();
    }
}
