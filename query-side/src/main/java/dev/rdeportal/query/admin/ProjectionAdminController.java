package dev.rdeportal.query.admin;

import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code /api/v1/admin/projections} (admins only): processors, their state, and rebuilds. */
@RestController
@RequestMapping("/api/v1/admin/projections")
class ProjectionAdminController {

    private final ProjectionOperations operations;

    ProjectionAdminController(ProjectionOperations operations) {
        this.operations = operations;
    }

    @GetMapping
    Mono<ListResponse<ProjectionStatus>> list(Principal principal) {
        Caller.of(principal).requireAdmin("listing projections");
        return Mono.fromCallable(() -> ListResponse.complete(operations.list()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** 202: the projection is emptied and replaying; poll the list until it is {@code running}. */
    @PostMapping("/{name}/rebuild")
    Mono<ResponseEntity<ProjectionStatus>> rebuild(Principal principal, @PathVariable String name) {
        Caller.of(principal).requireAdmin("rebuilding a projection");
        return Mono.fromCallable(() -> ResponseEntity.status(HttpStatus.ACCEPTED).body(operations.rebuild(name)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
