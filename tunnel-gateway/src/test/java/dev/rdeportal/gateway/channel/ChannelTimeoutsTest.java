package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        long before = ChannelTimeouts.pending();
        // Limits far beyond the test: only a cancellation takes these deadlines off the wheel.
        CompletableFuture<String> answered = ChannelTimeouts.within(new CompletableFuture<>(), Duration.ofMinutes(5));
        CompletableFuture<String> failed = ChannelTimeouts.within(new CompletableFuture<>(), Duration.ofMinutes(5));
        CompletableFuture<String> done = ChannelTimeouts.within(CompletableFuture.completedFuture("already"), Duration.ofMillis(1));
        Thread.sleep(3 * ChannelTimeouts.TICK_MILLIS);
        assertThat(ChannelTimeouts.pending()).as("two deadlines waiting").isEqualTo(before + 2);

        answered.complete("open");
        failed.completeExceptionally(new IllegalStateException("refused"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ChannelTimeouts.pending() > before && System.nanoTime() < deadline) {
            Thread.sleep(ChannelTimeouts.TICK_MILLIS);
        }
        assertThat(ChannelTimeouts.pending()).as("both deadlines cancelled").isEqualTo(before);
        assertThat(answered.get()).isEqualTo("open");
        assertThatThrownBy(failed::get).cause().isInstanceOf(IllegalStateException.class);
        assertThat(done.get()).isEqualTo("already");
    }
}
