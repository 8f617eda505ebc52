package dev.rdeportal.gateway.firewall;

import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallBlockedEvent;
import dev.rdeportal.domain.firewall.FirewallPolicy;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The firewall's decision for a connection, from rules held in memory: terminals, previews and
 * (optionally) the API ask it for every connection, so it never queries the database per request.
 *
 * <pre>
 *  PUT rules ─► Firewall aggregate ─► FirewallRulesReplacedEvent ─► projection (read model)
 *                                                                     │ update, this replica: at once
 *                 FirewallGuard ◄──────────────────────────────────────┘
 *                      ▲ re-read every refresh-interval: other replicas' changes, and the first load
 * </pre>
 *
 * Until the first load the guard waits a few seconds, then refuses: it fails closed. Afterwards a
 * failed refresh keeps the last rules it had. Use {@link #admit} where a connection is decided;
 * it records a refusal as a {@link FirewallBlockedEvent}.
 */
public class FirewallGuard implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.firewall");
    static final Duration FIRST_LOAD_RETRY = Duration.ofMillis(250);
    static final Duration FIRST_LOAD_WAIT = Duration.ofSeconds(5);
    static final int MAX_THROTTLE_ENTRIES = 10_000;

    private final QueryGateway queries;
    private final EventGateway events;
    private final FirewallProperties properties;
    private final Clock clock;
    private final AtomicReference<FirewallPolicy> policy = new AtomicReference<>();
    private final Sinks.One<FirewallPolicy> firstLoad = Sinks.one();
    /** Bumped by every pushed update, so a re-read that started before it cannot overwrite it. */
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Instant> lastRecorded = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private SubscriptionQueryResult<FirewallRuleSet, FirewallRuleSet> subscription;
    private Disposable updates;
    private volatile boolean running;

    public FirewallGuard(QueryGateway queries, EventGateway events, FirewallProperties properties, Clock clock) {
        this.queries = queries;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Decides a connection and records a refusal. Empty when it may proceed; otherwise the block to
     * answer with (403 {@code firewall-blocked}). Never errors.
     *
     * @param user     who is connecting, if known (else null)
     * @param clientIp the address the portal decided on (exchange attribute {@code rde.clientIp})
     * @param target   what is asked for, e.g. {@code preview:ws-abc:3000}
     */
    public Mono<Optional<FirewallPolicy.Block>> admit(String user, String clientIp, String target) {
        return blocked(clientIp).flatMap(block -> block.isEmpty() ? Mono.just(block)
                : record(user, clientIp, target, block.get()).thenReturn(block));
    }

    /** The decision alone, without recording anything. */
    public Mono<Optional<FirewallPolicy.Block>> blocked(String clientIp) {
        FirewallPolicy current = policy.get();
        if (current != null) {
            return Mono.just(current.check(clientIp));
        }
        return firstLoad.asMono()
                .timeout(FIRST_LOAD_WAIT)
                .map(loaded -> loaded.check(clientIp))
                .onErrorResume(e -> Mono.just(Optional.of(
                        new FirewallPolicy.Block(null, "the firewall's rules could not be loaded"))));
    }

    /**
     * Records a refusal, at most once per {@code event-interval} for one address and target, so a
     * blocked client retrying in a loop cannot flood the event store. Off the event loop; a failure
     * to record is logged, never thrown.
     */
    public Mono<Void> record(String user, String clientIp, String target, FirewallPolicy.Block block) {
        Instant now = clock.instant();
        String key = clientIp + '\n' + target;
        boolean[] due = {false};
        // Atomic per key: of two refusals racing, exactly one is recorded.
        lastRecorded.compute(key, (k, previous) -> {
            if (previous != null && previous.plus(properties.eventInterval()).isAfter(now)) {
                return previous;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return Mono.empty();
        }
        if (lastRecorded.size() > MAX_THROTTLE_ENTRIES) {
            lastRecorded.values().removeIf(at -> at.plus(properties.eventInterval()).isBefore(now));
        }
        FirewallBlockedEvent event = new FirewallBlockedEvent(user, clientIp, target, block.rule(), block.reason());
        return Mono.<Void>fromRunnable(() -> {
                    try {
                        events.publish(List.of(GenericEventMessage.asEventMessage(event).andMetaData(
                                MetaData.with(MetaDataKeys.ACTOR, user == null ? MetaDataKeys.SYSTEM : user)
                                        .and(MetaDataKeys.CLIENT_IP, clientIp))));
                    } catch (RuntimeException e) {
                        log.error("cannot record the firewall's refusal of {} at {}", clientIp, target, e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-firewall-refresh");
            t.setDaemon(true);
            return t;
        });
        running = true;
        subscription = queries.subscriptionQuery(new FindFirewallRulesQuery(),
                ResponseTypes.instanceOf(FirewallRuleSet.class), ResponseTypes.instanceOf(FirewallRuleSet.class));
        updates = subscription.updates().subscribe(rules -> {
            generation.incrementAndGet();
            install(rules);
        }, e -> log.warn("firewall rule updates stopped; changes now apply on the next re-read", e));
        scheduler.execute(this::refresh);
    }

    private void refresh() {
        if (!running) {
            return;
        }
        long before = generation.get();
        queries.query(new FindFirewallRulesQuery(), ResponseTypes.instanceOf(FirewallRuleSet.class))
                .whenComplete((rules, error) -> {
                    if (error != null) {
                        log.debug("firewall rules not re-read: {}", error.toString());
                    } else if (generation.get() == before) {
                        install(rules);
                    }
                    if (running) {
                        Duration next = policy.get() == null ? FIRST_LOAD_RETRY : properties.refreshInterval();
                        scheduler.schedule(this::refresh, next.toMillis(), TimeUnit.MILLISECONDS);
                    }
                });
    }

    private void install(FirewallRuleSet rules) {
        FirewallPolicy compiled = FirewallPolicy.of(rules.rules());
        FirewallPolicy previous = policy.getAndSet(compiled);
        if (previous == null) {
            firstLoad.tryEmitValue(compiled);
            log.info("firewall loaded: {}", compiled.isEmpty() ? "no rules, every address allowed"
                    : rules.rules().size() + " rules");
        }
    }

    @Override
    public void stop() {
        running = false;
        if (updates != null) {
            updates.dispose();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After Axon has registered its query handlers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
