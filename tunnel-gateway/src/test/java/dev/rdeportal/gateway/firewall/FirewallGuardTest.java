package dev.rdeportal.gateway.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallBlockedEvent;
import dev.rdeportal.domain.firewall.FirewallPolicy;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirewallGuardTest {

    static final FirewallRule DENY = new FirewallRule(FirewallAction.DENY, "203.0.113.0/24", "scanner");

    final AtomicReference<FirewallRuleSet> stored = new AtomicReference<>(new FirewallRuleSet(List.of(DENY)));
    final AtomicInteger reads = new AtomicInteger();
    final List<EventMessage<?>> published = new CopyOnWriteArrayList<>();
    SimpleQueryUpdateEmitter emitter;
    FirewallGuard guard;

    @BeforeEach
    void start() {
        emitter = SimpleQueryUpdateEmitter.builder().build();
        SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
        bus.subscribe(FindFirewallRulesQuery.class.getName(), FirewallRuleSet.class, query -> {
            reads.incrementAndGet();
            return stored.get();
        });
        SimpleEventBus events = SimpleEventBus.builder().build();
        events.subscribe(published::addAll);
        guard = new FirewallGuard(DefaultQueryGateway.builder().queryBus(bus).build(),
                DefaultEventGateway.builder().eventBus(events).build(),
                new FirewallProperties(false, Duration.ofHours(1), Duration.ofMinutes(1)),
                Clock.fixed(Instant.parse("2025-03-01T09:00:00Z"), ZoneOffset.UTC));
        guard.start();
    }

    @AfterEach
    void stop() {
        guard.stop();
    }

    @Test
    void aDeniedAddressIsRefusedAndTheRefusalRecordedOncePerInterval() {
        Optional<FirewallPolicy.Block> block = guard.admit("alice@example.com", "203.0.113.7", "preview:ws-1:3000").block();
        assertThat(block).hasValueSatisfying(b -> assertThat(b.rule()).isEqualTo(DENY));
        assertThat(guard.admit("alice@example.com", "203.0.113.7", "preview:ws-1:3000").block()).isPresent();
        assertThat(guard.admit(null, "203.0.113.7", "terminal:ws-1").block()).isPresent();
        assertThat(guard.admit(null, "198.51.100.1", "terminal:ws-1").block()).isEmpty();

        assertThat(published).hasSize(2);
        assertThat(published.get(0).getPayload()).isEqualTo(new FirewallBlockedEvent("alice@example.com",
                "203.0.113.7", "preview:ws-1:3000", DENY, "denied by rule 203.0.113.0/24"));
        assertThat(published.get(0).getMetaData()).containsEntry("actor", "alice@example.com")
                .containsEntry("clientIp", "203.0.113.7");
        assertThat(published.get(1).getMetaData()).containsEntry("actor", "system");
    }

    @Test
    void aChangeOnThisReplicaAppliesAtOnceWithoutAnotherRead() {
        assertThat(guard.blocked("203.0.113.7").block()).isPresent();
        int readsBefore = reads.get();
        emitter.emit(FindFirewallRulesQuery.class, q -> true, new FirewallRuleSet(List.of()));
        assertThat(guard.blocked("203.0.113.7").block()).isEmpty();
        assertThat(reads.get()).isEqualTo(readsBefore);
        for (int i = 0; i < 1000; i++) {
            guard.blocked("203.0.113.7").block();
        }
        assertThat(reads.get()).as("no read per request").isEqualTo(readsBefore);
    }
}
