package dev.rdeportal.query.support;

import java.time.Duration;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/** Keeps server-sent event streams alive through idle proxies. */
public final class Heartbeats {

    /** Below the idle timeouts of common proxies and load balancers (often 30-60 s). */
    public static final Duration INTERVAL = Duration.ofSeconds(15);

    private Heartbeats() {
    }

    /**
     * {@code events} with a comment line every {@code interval}. Heartbeats stop when the events
     * end (the emitter completed or failed the subscription), so the response ends too instead of
     * idling on heartbeats alone.
     */
    public static <T> Flux<ServerSentEvent<T>> around(Flux<ServerSentEvent<T>> events, Duration interval) {
        return events.publish(shared -> Flux.merge(shared,
                Flux.interval(interval)
                        .map(tick -> ServerSentEvent.<T>builder().comment("heartbeat").build())
                        .takeUntilOther(shared.ignoreElements())));
    }
}
