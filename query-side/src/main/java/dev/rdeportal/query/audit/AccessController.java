package dev.rdeportal.query.audit;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.query.support.Caller;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/v1/audit/access?at=T[&workspace=W]} (admins only): who could open a terminal or
 * a preview on which workspace at T, and why; reconstructed by replaying the history up to T
 * ({@link AccessReplay}) on the bounded-elastic scheduler, as the rest of the audit API reads.
 *
 * <p>An instant in the future is refused (400) rather than read as now: the answer would be one
 * that later events can still change, under a label that says otherwise.
 */
@RestController
class AccessController {

    private final AccessReplay replay;
    private final Clock clock;

    @Autowired
    AccessController(AccessReplay replay) {
        this(replay, Clock.systemUTC());
    }

    AccessController(AccessReplay replay, Clock clock) {
        this.replay = replay;
        this.clock = clock;
    }

    @GetMapping("/api/v1/audit/access")
    Mono<AccessReport> access(Principal principal, @RequestParam(required = false) String at,
                              @RequestParam(required = false) String workspace) {
        Caller.of(principal).requireAdmin("reconstructing access at a past instant");
        Instant instant = instant(at);
        String only = workspace == null || workspace.isBlank() ? null : workspace.trim();
        return Mono.fromCallable(() -> replay.at(instant, only)).subscribeOn(Schedulers.boundedElastic());
    }

    private Instant instant(String at) {
        if (at == null || at.isBlank()) {
            throw DomainException.invalid("at is required: an ISO-8601 UTC instant such as 2025-03-01T09:00:00Z");
        }
        Instant instant;
        try {
            instant = Instant.parse(at.trim());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("at must be an ISO-8601 UTC instant such as 2025-03-01T09:00:00Z");
        }
        if (instant.isAfter(Instant.now(clock))) {
            throw DomainException.invalid("at is in the future; the history ends now");
        }
        return instant;
    }
}
