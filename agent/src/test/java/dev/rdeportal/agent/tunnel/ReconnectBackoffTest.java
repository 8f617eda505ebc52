package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    /** Attempt n waits initial * 2^(n-1), randomized by ±50 %, never more than the cap. */
    @RepeatedTest(20)
    void delaysGrowExponentiallyWithinTheJitterBandAndAreCapped() {
        ReconnectBackoff backoff = ReconnectBackoff.standard();
        for (int attempt = 1; attempt <= 12; attempt++) {
            double base = 500 * Math.pow(2, attempt - 1);
            long delay = backoff.next().toMillis();
            assertThat(delay).as("attempt %d", attempt)
                    .isBetween((long) Math.min(base * 0.5, 30_000), (long) Math.min(base * 1.5, 30_000));
        }
        for (int attempt = 13; attempt <= 100; attempt++) {
            assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void delaysAreJittered() {
        Set<Duration> thirdDelays = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ReconnectBackoff backoff = ReconnectBackoff.standard();
            backoff.next();
            backoff.next();
            thirdDelays.add(backoff.next());
        }
        // 50 draws from a 2 s wide band: identical values would mean no jitter at all.
        assertThat(thirdDelays).hasSizeGreaterThan(10);
    }

    @Test
    void resetStartsOverAtTheInitialDelay() {
        ReconnectBackoff backoff = ReconnectBackoff.standard();
        for (int i = 0; i < 8; i++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.next()).isBetween(Duration.ofMillis(250), Duration.ofMillis(750));
    }
}
