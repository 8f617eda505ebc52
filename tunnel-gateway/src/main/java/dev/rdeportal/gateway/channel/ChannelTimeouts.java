package dev.rdeportal.gateway.channel;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The deadline of every channel open (a preview request's spare claim, a channel asked for on the
 * control stream), on a timer wheel instead of {@link CompletableFuture#orTimeout}.
 *
 * <p>{@code orTimeout} schedules on the JDK's single delay thread: with no other deadline pending,
 * each new one is the queue's head, so scheduling it wakes that thread, and so does its
 * cancellation once the agent answered. That was one more thread wake-up per preview request on
 * the browser's event loop (8% of its CPU samples, plus the delay thread's own, at c1). Adding to
 * and cancelling on the wheel only queue; its thread ticks on its own every {@link #TICK_MILLIS}
 * ms whatever the load, so a deadline fires up to one tick late, which is nothing against
 * deadlines of seconds.
 */
final class ChannelTimeouts {

    static final long TICK_MILLIS = 20;

    private static final HashedWheelTimer WHEEL = new HashedWheelTimer(task -> {
        Thread thread = new Thread(task, "rde-channel-deadlines");
        thread.setDaemon(true);
        return thread;
    }, TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

    private ChannelTimeouts() {
    }

    /**
     * Fails {@code future} with a {@link TimeoutException} unless it completes within {@code limit};
     * the deadline goes once it completed. Answers {@code future}, as {@code orTimeout} does.
     */
    static <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration limit) {
        return within(WHEEL, future, limit);
    }

    /** As {@link #within(CompletableFuture, Duration)}, on {@code wheel}: tests count their own deadlines. */
    static <T> CompletableFuture<T> within(Timer wheel, CompletableFuture<T> future, Duration limit) {
        if (future.isDone()) {
            return future;
        }
        Timeout deadline = wheel.newTimeout(t -> future.completeExceptionally(new TimeoutException()),
                Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        future.whenComplete((value, error) -> deadline.cancel());
        return future;
    }
}
