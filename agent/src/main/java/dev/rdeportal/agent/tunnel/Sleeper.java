package dev.rdeportal.agent.tunnel;

import java.time.Duration;

/** Waits between redials; tests substitute one that only records. */
@FunctionalInterface
interface Sleeper {

    /** Waits for {@code delay} or less (an agent shutting down stops waiting). */
    void sleep(Duration delay) throws InterruptedException;
}
