package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/blueprints[/{id}]}. Admins see every blueprint; users only those whose ACL
 * allows them. Another blueprint is absent from the list and, asked for by id, reads exactly like
 * an unknown one (404). Launches are decided again by the blueprint aggregate.
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
        Caller caller = Caller.of(principal);
        return blueprints.findAll().filter(view -> visible(caller, view)).map(BlueprintResponse::of).collectList().map(ListResponse::complete);
    }

    @GetMapping("/{id}")
    Mono<BlueprintResponse> get(Principal principal, @PathVariable String id) {
        Caller caller = Caller.of(principal);
        return blueprints.findById(id)
                .filter(view -> visible(caller, view))
                .map(BlueprintResponse::of)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("blueprint", id)));
    }

    private static boolean visible(Caller caller, BlueprintView view) {
        return caller.admin() || view.details().acl().allows(caller.email());
    }
}
