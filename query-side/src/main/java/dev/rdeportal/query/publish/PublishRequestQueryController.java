package dev.rdeportal.query.publish;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.PublishRequest;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import dev.rdeportal.query.support.Pages;
import java.security.Principal;
import java.time.Instant;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The publish history: a workspace's requests for its owner, and every request (the review queue
 * with {@code ?status=PENDING}) for admins. Newest first; {@code next} is an opaque cursor.
 */
@RestController
@RequestMapping("/api/v1")
class PublishRequestQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final PublishRequestReadRepository requests;

    PublishRequestQueryController(PublishRequestReadRepository requests) {
        this.requests = requests;
    }

    /** 404 for an unknown workspace or another's, as everywhere. */
    @GetMapping("/workspaces/{id}/publish-requests")
    Mono<ListResponse<PublishRequest>> ofWorkspace(@PathVariable String id, Principal principal,
                                                   @RequestParam(required = false) String limit,
                                                   @RequestParam(required = false) String cursor) {
        Caller caller = Caller.of(principal);
        int pageSize = Pages.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        PublishRequestReadRepository.Cursor after = cursor(cursor);
        return requests.workspaceOwner(id)
                .filter(owner -> owner.equals(caller.email()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("workspace", id)))
                .flatMap(owner -> requests.pageOfWorkspace(id, after, pageSize + 1))
                .map(rows -> Pages.of(rows, pageSize, PublishRequestQueryController::cursorOf, PublishRequestView::api));
    }

    @GetMapping("/publish-requests")
    Mono<ListResponse<PublishRequest>> all(Principal principal, @RequestParam(required = false) String status,
                                           @RequestParam(required = false) String limit,
                                           @RequestParam(required = false) String cursor) {
        Caller.of(principal).requireAdmin("the publish review queue");
        int pageSize = Pages.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        PublishRequestReadRepository.Cursor after = cursor(cursor);
        return requests.page(status(status), after, pageSize + 1)
                .map(rows -> Pages.of(rows, pageSize, PublishRequestQueryController::cursorOf, PublishRequestView::api));
    }

    private static PublishStatus status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return PublishStatus.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("status must be one of PENDING, APPROVED, REJECTED, PUBLISHED, FAILED");
        }
    }

    /** {@code <epoch micros>~<id>}: the list's sort key, which is unique. */
    static String cursorOf(PublishRequestView view) {
        Instant at = view.requestedAt();
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        return micros + "~" + view.id();
    }

    static PublishRequestReadRepository.Cursor cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        int tilde = raw.indexOf('~');
        try {
            long micros = Long.parseLong(raw.substring(0, tilde));
            String id = raw.substring(tilde + 1);
            if (!id.isEmpty() && id.length() <= 64) {
                return new PublishRequestReadRepository.Cursor(
                        Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), id);
            }
        } catch (RuntimeException e) {
            // refused below
        }
        throw DomainException.invalid("cursor is not one this API returned");
    }
}
