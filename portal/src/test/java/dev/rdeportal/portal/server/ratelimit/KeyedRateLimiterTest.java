package dev.rdeportal.portal.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.portal.server.ratelimit.KeyedRateLimiter.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's arithmetic under a clock the test moves. */
class KeyedRateLimiterTest {

    static final Duration MINUTE = Duration.ofMinutes(1);

    /** Starts far from zero, as System.nanoTime may. */
    final AtomicLong now = new AtomicLong(7_000_000_000_000L);

    KeyedRateLimiter limiter(int limit, long maxKeys) {
        return new KeyedRateLimiter(limit, MINUTE, maxKeys, now::get);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void inAWindowExactlyTheLimitIsAcceptedAndTheRestRefusedUntilTheWindowEnds() {
        KeyedRateLimiter limiter = limiter(5, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("alice").allowed()).as("call %d", i + 1).isTrue();
            advance(Duration.ofSeconds(1));
        }
        // 5 s into the window: the 6th call and every later one are refused until it ends at 60 s.
        assertThat(limiter.acquire("alice")).isEqualTo(new Decision(false, 55));
        advance(Duration.ofMillis(44_500));
        assertThat(limiter.acquire("alice")).as("10.5 s left, rounded up").isEqualTo(new Decision(false, 11));
        advance(Duration.ofMillis(10_499));
        assertThat(limiter.acquire("alice")).as("1 ms left is still a whole second").isEqualTo(new Decision(false, 1));
        advance(Duration.ofMillis(1));
        assertThat(limiter.acquire("alice").allowed()).as("a new window").isTrue();
    }

    @Test
    void refusedCallsCountButNeverBorrowFromTheNextWindow() {
        KeyedRateLimiter limiter = limiter(3, 100);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            if (limiter.acquire("bob").allowed()) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isEqualTo(997);
        advance(MINUTE);
        // Hammering during the last window did not shrink this one.
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("bob").allowed()).isTrue();
        }
        assertThat(limiter.acquire("bob")).isEqualTo(new Decision(false, 60));
    }

    @Test
    void windowsFollowEachOtherBackToBackSoNoMinuteSeesMoreThanTwiceTheLimit() {
        KeyedRateLimiter limiter = limiter(4, 100);
        limiter.acquire("carol");
        advance(Duration.ofSeconds(59));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("carol").allowed()).isTrue();
        }
        assertThat(limiter.acquire("carol").allowed()).isFalse();
        advance(Duration.ofSeconds(1));
        // The second window starts at 60 s, not at the first refusal.
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("carol").allowed()).isTrue();
        }
        assertThat(limiter.acquire("carol")).isEqualTo(new Decision(false, 60));
    }

    @Test
    void eachKeyHasItsOwnWindow() {
        KeyedRateLimiter limiter = limiter(1, 100);
        assertThat(limiter.acquire("alice").allowed()).isTrue();
        assertThat(limiter.acquire("alice").allowed()).isFalse();
        advance(Duration.ofSeconds(30));
        assertThat(limiter.acquire("bob").allowed()).isTrue();
        assertThat(limiter.acquire("bob")).isEqualTo(new Decision(false, 60));
        assertThat(limiter.acquire("alice")).isEqualTo(new Decision(false, 30));
    }

    @Test
    void concurrentCallersGetExactlyTheLimit() throws Exception {
        KeyedRateLimiter limiter = limiter(50, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int accepted = 0;
                    for (int i = 0; i < 100; i++) {
                        if (limiter.acquire("dave").allowed()) {
                            accepted++;
                        }
                    }
                    return accepted;
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Integer> r : results) {
                accepted += r.get(10, TimeUnit.SECONDS);
            }
            assertThat(accepted).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewLimitAppliesAtOnceWithAFreshWindow() {
        KeyedRateLimiter limiter = limiter(200, 100);
        for (int i = 0; i < 10; i++) {
            limiter.acquire("erin");
        }
        limiter.limit(3);
        assertThat(limiter.limit()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("erin").allowed()).isTrue();
        }
        assertThat(limiter.acquire("erin").allowed()).isFalse();

        limiter.limit(3);
        assertThat(limiter.acquire("erin").allowed()).as("the same limit again changes nothing").isFalse();
    }

    @Test
    void idleKeysAreForgottenAndTheNumberOfKeysIsBounded() {
        KeyedRateLimiter limiter = limiter(1, 1000);
        for (int i = 0; i < 500; i++) {
            limiter.acquire("198.51.100." + i);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(500);
        advance(MINUTE);
        assertThat(limiter.trackedKeys()).as("idle for a whole window").isZero();

        for (int i = 0; i < 5000; i++) {
            limiter.acquire("key-" + i);
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(1000);
    }

    @Test
    void aKeyStillInItsWindowKeepsItsCount() {
        KeyedRateLimiter limiter = limiter(2, 1000);
        limiter.acquire("frank");
        limiter.acquire("frank");
        assertThat(limiter.acquire("frank").allowed()).isFalse();
        advance(Duration.ofSeconds(59));
        assertThat(limiter.acquire("frank")).as("still held: its window has 1 s left").isEqualTo(new Decision(false, 1));
    }
}
