package dev.rdeportal.portal.server.security;

import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.member.AutoJoinMemberCommand;
import dev.rdeportal.domain.member.BootstrapMembersCommand;
import dev.rdeportal.domain.member.FindMembersQuery;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberAccessRefusedEvent;
import dev.rdeportal.domain.member.MemberList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Who is a member, held in memory so that the security layer decides membership and the admin
 * role on every request without a database round trip (as {@code FirewallGuard} does for rules).
 *
 * <pre>
 *  start ─► BootstrapMembersCommand ─► Organization ──answer──┐
 *  PUT/DELETE member, auto-join ─► Organization ─► events ─► MemberProjection ─update─► install
 *                                                                 ▲ re-read every 30 s (other replicas)
 * </pre>
 *
 * Every list carries the organisation's membership version; an older list never replaces a newer
 * one, so a slow re-read of a lagging read model cannot undo a change this replica already knows.
 * Until the first list arrives callers wait a few seconds, then are treated as non-members (fails
 * closed).
 */
public class MemberDirectory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger("rde.security.members");
    static final Duration REFRESH = Duration.ofSeconds(30);
    static final Duration FIRST_LOAD_WAIT = Duration.ofSeconds(10);
    static final Duration REFUSAL_INTERVAL = Duration.ofMinutes(1);
    static final int MAX_THROTTLE_ENTRIES = 10_000;

    private record Snapshot(long version, Map<String, Member> members) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final EventGateway events;
    private final SecurityProperties properties;
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final Sinks.One<Snapshot> firstLoad = Sinks.one();
    private final Map<String, Instant> lastRefusal = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private SubscriptionQueryResult<MemberList, MemberList> subscription;
    private Disposable updates;
    private volatile boolean running;

    public MemberDirectory(CommandGateway commands, QueryGateway queries, EventGateway events,
                           SecurityProperties properties, Clock clock) {
        this.commands = commands;
        this.queries = queries;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The caller's membership. A non-member whose email domain the auto-join rule names becomes a
     * member here (recorded by the organisation). Empty for everyone else. Never errors.
     */
    public Mono<Optional<Member>> admit(String email) {
        String key = email.toLowerCase(Locale.ROOT);
        return current().flatMap(members -> {
            Member member = members.members().get(key);
            if (member != null) {
                return Mono.just(Optional.of(member));
            }
            String domain = Member.domainOf(key);
            if (!properties.autoJoinDomains().contains(domain)) {
                return Mono.just(Optional.<Member>empty());
            }
            return Mono.defer(() -> Mono.fromFuture(commands.<MemberList>send(GenericCommandMessage
                            .asCommandMessage(new AutoJoinMemberCommand(Member.ORGANIZATION_ID, key, domain))
                            .andMetaData(MetaData.with(MetaDataKeys.ACTOR, key)))))
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(list -> {
                        install(list);
                        log.info("{} joined by the auto-join rule for {}", key, domain);
                        return list.members().stream().filter(m -> m.email().equals(key)).findFirst();
                    })
                    .onErrorResume(e -> {
                        log.warn("auto-join of {} failed: {}", key, e.toString());
                        return Mono.just(Optional.empty());
                    });
        }).onErrorResume(e -> Mono.just(Optional.empty()));
    }

    /** The caller's membership from memory, without joining anyone. */
    public Mono<Optional<Member>> find(String email) {
        return current().map(s -> Optional.ofNullable(s.members().get(email.toLowerCase(Locale.ROOT))))
                .onErrorResume(e -> Mono.just(Optional.empty()));
    }

    /**
     * Records that a non-member called {@code target}, at most once a minute per user, so that a
     * client retrying in a loop cannot flood the event store. Off the event loop; never errors.
     */
    public Mono<Void> recordRefusal(String email, String target, String clientIp) {
        Instant now = clock.instant();
        boolean[] due = {false};
        lastRefusal.compute(email.toLowerCase(Locale.ROOT), (k, previous) -> {
            if (previous != null && previous.plus(REFUSAL_INTERVAL).isAfter(now)) {
                return previous;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return Mono.empty();
        }
        if (lastRefusal.size() > MAX_THROTTLE_ENTRIES) {
            lastRefusal.values().removeIf(at -> at.plus(REFUSAL_INTERVAL).isBefore(now));
        }
        var event = new MemberAccessRefusedEvent(email, target);
        return Mono.<Void>fromRunnable(() -> {
                    try {
                        events.publish(List.of(GenericEventMessage.asEventMessage(event).andMetaData(
                                MetaData.with(MetaDataKeys.ACTOR, email).and(MetaDataKeys.CLIENT_IP, clientIp))));
                    } catch (RuntimeException e) {
                        log.error("cannot record the refusal of non-member {}", email, e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Snapshot> current() {
        Snapshot s = snapshot.get();
        return s != null ? Mono.just(s) : firstLoad.asMono().timeout(FIRST_LOAD_WAIT);
    }

    /** Installs {@code list} unless this directory already holds a newer one (also: the member commands' answers). */
    @EventListener
    void install(MemberList list) {
        Snapshot next = new Snapshot(list.version(), list.members().stream()
                .collect(Collectors.toUnmodifiableMap(Member::email, Function.identity())));
        Snapshot previous = snapshot.getAndUpdate(held -> held != null && held.version() > next.version() ? held : next);
        if (previous == null) {
            firstLoad.tryEmitValue(next);
            log.info("members loaded: {}", next.members().size());
        }
    }

    @Override
    public void start() {
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-members-refresh");
            t.setDaemon(true);
            return t;
        });
        subscription = queries.subscriptionQuery(new FindMembersQuery(), ResponseTypes.instanceOf(MemberList.class),
                ResponseTypes.instanceOf(MemberList.class));
        updates = subscription.updates().subscribe(this::install,
                e -> log.warn("member updates stopped; changes now apply on the next re-read", e));
        // The organisation answers with every member, so this replica knows them before the first request.
        try {
            MemberList seeded = commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                    new BootstrapMembersCommand(Member.ORGANIZATION_ID, properties.admins(), properties.members()))
                    .andMetaData(MetaData.with(MetaDataKeys.ACTOR, MetaDataKeys.SYSTEM)), 30, TimeUnit.SECONDS);
            install(seeded);
        } catch (RuntimeException e) {
            // Another replica bootstrapping at the same moment wins the race; the re-read catches up.
            log.warn("member bootstrap did not complete ({}); loading members from the read model", e.toString());
        }
        scheduler.execute(this::refresh);
    }

    private void refresh() {
        if (!running) {
            return;
        }
        queries.query(new FindMembersQuery(), ResponseTypes.instanceOf(MemberList.class))
                .whenComplete((list, error) -> {
                    if (error != null) {
                        log.debug("members not re-read: {}", error.toString());
                    } else {
                        install(list);
                    }
                    if (running) {
                        Duration next = snapshot.get() == null ? Duration.ofMillis(250) : REFRESH;
                        scheduler.schedule(this::refresh, next.toMillis(), TimeUnit.MILLISECONDS);
                    }
                });
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

    /** After Axon has registered its handlers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
