package dev.rdeportal.portal.server.ratelimit;

import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import dev.rdeportal.portal.server.ratelimit.KeyedRateLimiter.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * The API's rate limits on this replica, per minute: requests per user, requests per client
 * address, and workspace launches per user — each a {@link KeyedRateLimiter}. The limits follow the
 * settings at run time:
 *
 * <pre>
 *  PUT /settings ─► Settings aggregate ─► SettingsChangedEvent ─► projection (read model)
 *                                                                   │ update, this replica: at once
 *                 ApiRateLimits ◄───────────────────────────────────┘
 *                      ▲ re-read every refresh-interval: other replicas' changes, and the first load
 * </pre>
 *
 * Counts are in this replica's memory: behind a load balancer each replica counts what it
 * receives (see the README on replicas). Until the settings are first read, the configured
 * initial limits apply.
 */
public class ApiRateLimits implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger("rde.portal.rate-limits");
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration FIRST_LOAD_RETRY = Duration.ofMillis(250);

    private final QueryGateway queries;
    private final RateLimiterProperties properties;
    private final KeyedRateLimiter requestsPerUser;
    private final KeyedRateLimiter requestsPerAddress;
    private final KeyedRateLimiter launchesPerUser;
    private final Counter refusedPerUser;
    private final Counter refusedPerAddress;
    private final Counter refusedLaunches;
    /** Bumped by every pushed update, so a re-read that started before it cannot overwrite it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean loaded;
    private ScheduledExecutorService scheduler;
    private SubscriptionQueryResult<PortalSettings, PortalSettings> subscription;
    private Disposable updates;
    private volatile boolean running;

    public ApiRateLimits(QueryGateway queries, RateLimits initial, RateLimiterProperties properties,
                         MeterRegistry meters, LongSupplier nanoTime) {
        this.queries = queries;
        this.properties = properties;
        long keys = properties.maxTrackedKeys();
        this.requestsPerUser = new KeyedRateLimiter(initial.requestsPerMinute(), WINDOW, keys, nanoTime);
        this.requestsPerAddress = new KeyedRateLimiter(initial.requestsPerMinute(), WINDOW, keys, nanoTime);
        this.launchesPerUser = new KeyedRateLimiter(initial.launchesPerMinute(), WINDOW, keys, nanoTime);
        this.refusedPerUser = refusals(meters, "requests-per-user");
        this.refusedPerAddress = refusals(meters, "requests-per-address");
        this.refusedLaunches = refusals(meters, "launches-per-user");
    }

    private static Counter refusals(MeterRegistry meters, String limit) {
        return Counter.builder("rde.rate.limit.refused").description("Calls refused by a rate limit (429)")
                .tag("limit", limit).register(meters);
    }

    /** One {@code /api/v1} call from {@code clientIp}, whoever makes it. */
    public Decision request(String clientIp) {
        return counted(requestsPerAddress.acquire(clientIp), refusedPerAddress);
    }

    /** One {@code /api/v1} call by an authenticated user. */
    public Decision requestBy(String email) {
        return counted(requestsPerUser.acquire(email), refusedPerUser);
    }

    /** One workspace launch by {@code email}. */
    public Decision launchBy(String email) {
        return counted(launchesPerUser.acquire(email), refusedLaunches);
    }

    private static Decision counted(Decision decision, Counter refused) {
        if (!decision.allowed()) {
            refused.increment();
        }
        return decision;
    }

    /** The limits in force on this replica. */
    public RateLimits limits() {
        return new RateLimits(launchesPerUser.limit(), requestsPerUser.limit());
    }

    void apply(RateLimits limits) {
        RateLimits before = limits();
        requestsPerUser.limit(limits.requestsPerMinute());
        requestsPerAddress.limit(limits.requestsPerMinute());
        launchesPerUser.limit(limits.launchesPerMinute());
        if (!before.equals(limits) || !loaded) {
            log.info("rate limits: {} requests per minute per user and per address, {} launches per minute per user",
                    limits.requestsPerMinute(), limits.launchesPerMinute());
        }
        loaded = true;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-rate-limits-refresh");
            t.setDaemon(true);
            return t;
        });
        running = true;
        subscription = queries.subscriptionQuery(new FindSettingsQuery(),
                ResponseTypes.instanceOf(PortalSettings.class), ResponseTypes.instanceOf(PortalSettings.class));
        updates = subscription.updates().subscribe(settings -> {
            generation.incrementAndGet();
            apply(settings.rateLimits());
        }, e -> log.warn("settings updates stopped; changes now apply on the next re-read", e));
        scheduler.execute(this::refresh);
    }

    private void refresh() {
        if (!running) {
            return;
        }
        long before = generation.get();
        queries.query(new FindSettingsQuery(), ResponseTypes.instanceOf(PortalSettings.class))
                .whenComplete((settings, error) -> {
                    if (error != null) {
                        log.debug("settings not re-read: {}", error.toString());
                    } else if (generation.get() == before) {
                        apply(settings.rateLimits());
                    }
                    if (running) {
                        Duration next = loaded ? properties.refreshInterval() : FIRST_LOAD_RETRY;
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

    /** After Axon has registered its query handlers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
