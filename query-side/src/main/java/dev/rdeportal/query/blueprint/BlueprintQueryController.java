package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/blueprints[/{id}]}. Every member sees every blueprint until blueprint ACLs
 * arrive; the caller is still resolved so that an unauthenticated call can never slip through.
 */
@RestController
@RequestMapping("/api/v1/blueprints")
class BlueprintQueryController {

    private final BlueprintReadRepository blueprints;

    BlueprintQueryController(BlueprintReadRepository blueprints) {
        this.blueprints = blueprints;
    }

    /** All of them in one page: a portal has tens of blueprints, not thousands. */
    @GetMapping
    Mono<ListResponse<BlueprintResponse>> list(Principal principal) {
        Caller.of(principal);
        return blueprints.findAll().map(BlueprintResponse::of).collectList().map(ListResponse::complete);
    }

    @GetMapping("/{id}")
    Mono<BlueprintResponse> get(Principal principal, @PathVariable String id) {
        Caller.of(principal);
        return blueprints.findById(id)
                .map(BlueprintResponse::of)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("blueprint", id)));
    }
}
