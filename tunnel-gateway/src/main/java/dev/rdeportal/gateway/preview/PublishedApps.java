package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.publish.FindPublishRequestQuery;
import dev.rdeportal.domain.publish.FindPublishedAppQuery;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;

/**
 * Published apps as the read side knows them, by request id (for tickets) and by stable name (for
 * the host a request arrives on). A page load is dozens of requests, so a lookup by name is
 * trusted for {@link #CACHE_TTL}; an app unpublished meanwhile is refused by its agent instead.
 */
final class PublishedApps {

    static final Duration CACHE_TTL = Duration.ofSeconds(2);

    private record Cached(Optional<PublishRequestView> app, long atNanos) {
    }

    private final QueryGateway queries;
    private final Duration timeout;
    private final MemberCheck members;
    private final Map<String, Cached> byName = new ConcurrentHashMap<>();

    PublishedApps(QueryGateway queries, Duration timeout, MemberCheck members) {
        this.queries = queries;
        this.timeout = timeout;
        this.members = members;
    }

    /** The PUBLISHED app under {@code name}, if there is one. */
    Mono<Optional<PublishRequestView>> byName(String name) {
        long now = System.nanoTime();
        Cached cached = byName.get(name);
        if (cached != null && now - cached.atNanos() < CACHE_TTL.toNanos()) {
            return Mono.just(cached.app());
        }
        return Mono.defer(() -> Mono.fromFuture(queries.query(new FindPublishedAppQuery(name),
                        ResponseTypes.optionalInstanceOf(PublishRequestView.class))))
                .timeout(timeout)
                .map(found -> found.filter(v -> v.status() == PublishStatus.PUBLISHED))
                .doOnNext(found -> {
                    if (byName.size() > 10_000) {
                        byName.clear();
                    }
                    byName.put(name, new Cached(found, now));
                });
    }

    /** The request, whatever its status; empty when unknown. */
    Mono<Optional<PublishRequestView>> byId(String requestId) {
        return Mono.defer(() -> Mono.fromFuture(queries.query(new FindPublishRequestQuery(requestId),
                        ResponseTypes.optionalInstanceOf(PublishRequestView.class))))
                .timeout(timeout);
    }

    Mono<Boolean> isMember(String email) {
        return members.isMember(email).onErrorReturn(false).defaultIfEmpty(false);
    }
}
