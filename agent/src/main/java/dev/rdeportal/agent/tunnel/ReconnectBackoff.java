package dev.rdeportal.agent.tunnel;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Delay before each redial: exponential with jitter, capped, so a fleet of agents that lost the
 * gateway at the same moment does not come back in lock step. Reset once a connection got as far
 * as Welcome, i.e. the gateway accepted the agent; failures before that keep growing the delay.
 * Not thread-safe: only the connect loop uses it.
 */
final class ReconnectBackoff {

    static final Duration INITIAL = Duration.ofMillis(500);
    static final double MULTIPLIER = 2.0;
    static final double RANDOMIZATION = 0.5;
    static final Duration CAP = Duration.ofSeconds(30);

    private final IntervalFunction intervals;
    private int attempt;

    ReconnectBackoff(IntervalFunction intervals) {
        this.intervals = intervals;
    }

    static ReconnectBackoff standard() {
        return new ReconnectBackoff(IntervalFunction.ofExponentialRandomBackoff(INITIAL, MULTIPLIER, RANDOMIZATION, CAP));
    }

    Duration next() {
        // resilience4j counts attempts from 1; the cap keeps large attempt numbers harmless.
        attempt = Math.min(attempt + 1, 64);
        return Duration.ofMillis(intervals.apply(attempt));
    }

    void reset() {
        attempt = 0;
    }
}
