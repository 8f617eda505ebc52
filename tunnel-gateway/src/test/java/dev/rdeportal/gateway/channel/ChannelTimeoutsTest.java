package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ChannelTimeoutsTest {

    @Test
    void anUnansweredFutureFailsWithATimeoutOnTheWheelsThreadAfterItsLimit() throws Exception {
        CompletableFuture<String> waiting = new CompletableFuture<>();
        long start = System.nanoTime();
        assertThat(ChannelTimeouts.within(waiting, Duration.ofMillis(150))).isSameAs(waiting);
        CompletableFuture<String> failedOn = waiting.handle((v, e) -> Thread.currentThread().getName());

        assertThat(failedOn.get(5, TimeUnit.SECONDS)).isEqualTo("rde-channel-deadlines");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
    }

    @Test
    void anAnsweredFutureKeepsItsAnswerAndItsDeadlineLeavesTheWheel() throws Exception {
        // A wheel of the test's own: the shared one also holds the deadlines of other tests in this JVM.
        HashedWheelTimer wheel = new HashedWheelTimer(ChannelTimeouts.TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            // Limits far beyond the test: only a cancellation takes these deadlines off the wheel.
            CompletableFuture<String> answered = ChannelTimeouts.within(wheel, new CompletableFuture<>(), Duration.ofMinutes(5));
            CompletableFuture<String> failed = ChannelTimeouts.within(wheel, new CompletableFuture<>(), Duration.ofMinutes(5));
            CompletableFuture<String> done = ChannelTimeouts.within(wheel, CompletableFuture.completedFuture("already"), Duration.ofMillis(1));
            assertThat(wheel.pendingTimeouts()).as("two deadlines waiting").isEqualTo(2);

            answered.complete("open");
            failed.completeExceptionally(new IllegalStateException("refused"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (wheel.pendingTimeouts() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(ChannelTimeouts.TICK_MILLIS);
            }
            assertThat(wheel.pendingTimeouts()).as("both deadlines cancelled").isZero();
            assertThat(answered.get()).isEqualTo("open");
            assertThatThrownBy(failed::get).cause().isInstanceOf(IllegalStateException.class);
            assertThat(done.get()).isEqualTo("already");
        } finally {
            wheel.stop();
        }
    }
}
