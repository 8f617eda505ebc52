package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.gateway.terminal.WorkspaceAccess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/published/{requestId}/tickets {path?}}: any member's way onto a published
 * app. Only members reach this (the portal's security answers everyone else 403 {@code not-a-member}
 * or 401). Answers {@code {url, expiresAt, origin}}: the URL carries a one-time ticket that the
 * app's origin exchanges for its cookie, exactly as a preview's. 404 for an unknown request, 409
 * for one that is not PUBLISHED.
 */
@RestController
class PublishedController {

    private final PreviewTickets tickets;
    private final PublishedApps apps;
    private final PreviewProperties properties;
    private final int portalPort;

    PublishedController(PreviewTickets tickets, PublishedApps apps, PreviewProperties properties,
                        PreviewConfiguration.PortalPort portalPort) {
        this.tickets = tickets;
        this.apps = apps;
        this.properties = properties;
        this.portalPort = portalPort.value();
    }

    record TicketRequest(String path) {
    }

    @PostMapping("/api/v1/published/{requestId}/tickets")
    Mono<ResponseEntity<PreviewController.Ticket>> issue(@PathVariable String requestId,
                                                         @RequestBody(required = false) TicketRequest body,
                                                         Principal caller) {
        if (!WorkspaceAccess.validId(requestId)) {
            return Mono.error(DomainException.notFound("publish request", String.valueOf(requestId)));
        }
        String path = PreviewFilter.safeNext(body == null || body.path() == null ? "/" : body.path());
        return apps.byId(requestId)
                .flatMap(found -> {
                    var app = found.orElseThrow(() -> DomainException.notFound("publish request", requestId));
                    if (app.status() != PublishStatus.PUBLISHED) {
                        throw DomainException.conflict("publish request " + requestId + " is " + app.status()
                                + "; only a PUBLISHED app can be opened");
                    }
                    return Mono.fromCallable(() -> tickets.issue(app.id(), app.clusterId(), app.port(), caller.getName()))
                            .subscribeOn(Schedulers.boundedElastic())
                            .map(issued -> {
                                String base = PublishedOrigin.url(properties, portalPort, app.publishName());
                                String url = base + PreviewFilter.REDEEM_PATH + "?ticket=" + issued.ticket()
                                        + "&next=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
                                return ResponseEntity.ok()
                                        .cacheControl(CacheControl.noStore())
                                        .body(new PreviewController.Ticket(url, issued.expiresAt(), base));
                            });
                });
    }
}
