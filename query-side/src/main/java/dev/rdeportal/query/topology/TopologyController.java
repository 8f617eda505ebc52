package dev.rdeportal.query.topology;

import dev.rdeportal.query.support.Caller;
import java.security.Principal;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /api/v1/admin/topology} (admins only): the infrastructure graph, once or live over SSE. */
@RestController
@RequestMapping("/api/v1/admin/topology")
class TopologyController {

    static final String SSE_EVENT = "topology";
    /** Re-read even without a notice: changes handled by another replica arrive this way. */
    static final Duration RECHECK = Duration.ofSeconds(15);
    /** Below the idle timeouts of common proxies and load balancers (often 30-60 s). */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** A burst of notices (a replay, many launches) costs one re-read per window, not one each. */
    static final Duration COALESCE = Duration.ofMillis(250);

    private final TopologyReadRepository topology;
    private final TopologyChanges changes;
    private final Duration recheck;
    private final Duration heartbeat;

    @Autowired
    TopologyController(TopologyReadRepository topology, TopologyChanges changes) {
        this(topology, changes, RECHECK, HEARTBEAT);
    }

    TopologyController(TopologyReadRepository topology, TopologyChanges changes, Duration recheck,
                       Duration heartbeat) {
        this.topology = topology;
        this.changes = changes;
        this.recheck = recheck;
        this.heartbeat = heartbeat;
    }

    @GetMapping
    Mono<TopologyResponse> get(Principal principal) {
        Caller.of(principal).requireAdmin("reading the topology");
        return topology.load();
    }

    /**
     * The whole graph at once, then again each time it differs from the last one sent: after a
     * change notice from this replica's projections, or after a periodic re-read. A comment line
     * every {@link #HEARTBEAT} keeps idle proxies from closing the stream.
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<TopologyResponse>> events(Principal principal) {
        Caller.of(principal).requireAdmin("watching the topology");
        Flux<Boolean> triggers = Flux.merge(
                changes.notices().sample(COALESCE),
                Flux.interval(recheck).map(tick -> Boolean.TRUE)
                        .onBackpressureDrop());
        Flux<ServerSentEvent<TopologyResponse>> graphs = Flux.concat(Mono.just(Boolean.TRUE), triggers)
                .onBackpressureLatest()
                .concatMap(trigger -> topology.load(), 1)
                .distinctUntilChanged()
                .map(graph -> ServerSentEvent.builder(graph).event(SSE_EVENT).build());
        Flux<ServerSentEvent<TopologyResponse>> heartbeats = Flux.interval(heartbeat)
                .map(tick -> ServerSentEvent.<TopologyResponse>builder().comment("heartbeat").build())
                .onBackpressureDrop();
        return Flux.merge(graphs, heartbeats);
    }
}
