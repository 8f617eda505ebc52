package dev.rdeportal.portal.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a replica's limits follow the settings, over a real in-memory Axon query bus: a change this
 * replica projects applies at once, another replica's change on the next re-read.
 */
class ApiRateLimitsTest {

    final AtomicReference<PortalSettings> readModel = new AtomicReference<>(PortalSettings.initial(new RateLimits(4, 300)));
    final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    final SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    final AtomicLong now = new AtomicLong();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ApiRateLimits limits;

    ApiRateLimits start(Duration refresh) {
        bus.subscribe(FindSettingsQuery.class.getName(), PortalSettings.class, message -> readModel.get());
        limits = new ApiRateLimits(DefaultQueryGateway.builder().queryBus(bus).build(), RateLimits.DEFAULT,
                new RateLimiterProperties(refresh, 1000L), meters, now::get);
        limits.start();
        return limits;
    }

    @AfterEach
    void stop() {
        if (limits != null) {
            limits.stop();
        }
    }

    static <T> void await(Supplier<T> probe, T expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!probe.get().equals(expected) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(probe.get()).isEqualTo(expected);
    }

    @Test
    void theInitialLimitsApplyUntilTheSettingsAreReadThenTheSettings() {
        ApiRateLimits limits = new ApiRateLimits(DefaultQueryGateway.builder().queryBus(bus).build(),
                new RateLimits(2, 3), new RateLimiterProperties(Duration.ofSeconds(10), 1000L), meters, now::get);
        assertThat(limits.limits()).isEqualTo(new RateLimits(2, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.request("192.0.2.1").allowed()).isTrue();
        }
        assertThat(limits.request("192.0.2.1").allowed()).isFalse();

        this.limits = limits;
        bus.subscribe(FindSettingsQuery.class.getName(), PortalSettings.class, message -> readModel.get());
        limits.start();
        await(limits::limits, new RateLimits(4, 300));
    }

    @Test
    void aChangeProjectedOnThisReplicaAppliesAtOnce() {
        start(Duration.ofMinutes(10));
        await(limits::limits, new RateLimits(4, 300));

        PortalSettings stricter = PortalSettings.initial(new RateLimits(1, 2));
        readModel.set(stricter);
        emitter.emit(FindSettingsQuery.class, query -> true, stricter);

        assertThat(limits.limits()).as("pushed, not re-read (the next re-read is minutes away)")
                .isEqualTo(new RateLimits(1, 2));
        assertThat(limits.requestBy("alice@example.com").allowed()).isTrue();
        assertThat(limits.requestBy("alice@example.com").allowed()).isTrue();
        assertThat(limits.requestBy("alice@example.com").allowed()).isFalse();
        assertThat(limits.launchBy("alice@example.com").allowed()).isTrue();
        assertThat(limits.launchBy("alice@example.com").allowed()).isFalse();
        assertThat(meters.get("rde.rate.limit.refused").tag("limit", "requests-per-user").counter().count()).isEqualTo(1);
        assertThat(meters.get("rde.rate.limit.refused").tag("limit", "launches-per-user").counter().count()).isEqualTo(1);
    }

    @Test
    void anotherReplicasChangeAppliesOnTheNextReRead() {
        start(Duration.ofMillis(100));
        await(limits::limits, new RateLimits(4, 300));

        // Projected elsewhere: no update reaches this replica, only the read model changes.
        readModel.set(PortalSettings.initial(new RateLimits(9, 50)));
        await(limits::limits, new RateLimits(9, 50));
    }

    @Test
    void usersAndAddressesAreCountedApart() {
        start(Duration.ofMinutes(10));
        emitter.emit(FindSettingsQuery.class, query -> true, PortalSettings.initial(new RateLimits(1, 1)));
        await(limits::limits, new RateLimits(1, 1));

        assertThat(limits.request("alice@example.com").allowed()).isTrue();
        assertThat(limits.requestBy("alice@example.com").allowed()).as("an address named like a user is another key")
                .isTrue();
        assertThat(limits.request("alice@example.com").allowed()).isFalse();
        assertThat(limits.requestBy("alice@example.com").allowed()).isFalse();
    }
}
