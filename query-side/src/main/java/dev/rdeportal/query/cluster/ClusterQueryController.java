package dev.rdeportal.query.cluster;

import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/clusters} (admins only): clusters and their agents, connected or not. */
@RestController
@RequestMapping("/api/v1/clusters")
class ClusterQueryController {

    private final ClusterReadRepository clusters;

    ClusterQueryController(ClusterReadRepository clusters) {
        this.clusters = clusters;
    }

    @GetMapping
    Mono<ListResponse<ClusterResponse>> list(Principal principal) {
        Caller.of(principal).requireAdmin("listing clusters");
        return clusters.findAll()
                .map(views -> ListResponse.complete(views.stream().map(ClusterResponse::of).toList()));
    }
}
