package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.gateway.terminal.WorkspaceAccess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/workspaces/{id}/preview-tickets {port, path?}}: the owner's way onto a
 * preview origin. Answers {@code {url, expiresAt}}; the URL carries a one-time ticket that the
 * preview origin exchanges for its cookie.
 */
@RestController
@RequestMapping("/api/v1/workspaces/{id}")
class PreviewController {

    private static final Pattern PREVIEWABLE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,54}");

    private final PreviewTickets tickets;
    private final WorkspaceAccess access;
    private final PreviewProperties properties;
    private final int portalPort;

    PreviewController(PreviewTickets tickets, WorkspaceAccess access, PreviewProperties properties,
                      PreviewConfiguration.PortalPort portalPort) {
        this.tickets = tickets;
        this.access = access;
        this.properties = properties;
        this.portalPort = portalPort.value();
    }

    record Ticket(String url, Instant expiresAt, String origin) {

        @Override
        public String toString() {
            return "Ticket[origin=" + origin + ", expiresAt=" + expiresAt + "]"; // never the URL: it holds the ticket
        }
    }

    /** @param path where on the preview origin to land (default {@code /}) */
    record TicketRequest(Integer port, String path) {
    }

    @PostMapping("/preview-tickets")
    Mono<ResponseEntity<Ticket>> issue(@PathVariable String id, @RequestBody(required = false) TicketRequest body,
                                       Principal caller) {
        // Ownership first: to anyone but the owner the workspace does not exist, whatever they send.
        return access.owned(id, caller.getName())
                .flatMap(view -> {
                    int port = port(body);
                    String path = PreviewFilter.safeNext(body.path() == null ? "/" : body.path());
                    if (view.status() != WorkspaceStatus.RUNNING) {
                        return Mono.error(DomainException.conflict("workspace " + id + " is " + view.status()
                                + "; a preview needs it RUNNING"));
                    }
                    List<Integer> ports = view.spec() == null ? List.<Integer>of() : view.spec().ports();
                    if (!ports.contains(port)) {
                        return Mono.error(DomainException.invalid("workspace " + id + " has no port " + port
                                + (ports.isEmpty() ? "; its blueprint declares none" : "; its ports are " + ports)));
                    }
                    if (!PREVIEWABLE_ID.matcher(view.id()).matches()) {
                        return Mono.error(DomainException.conflict("workspace " + id + " has an id that cannot be a "
                                + "preview host name"));
                    }
                    return Mono.fromCallable(() -> tickets.issue(view.id(), view.clusterId(), port, caller.getName()))
                            .subscribeOn(Schedulers.boundedElastic())
                            .map(issued -> answer(id, port, path, issued));
                });
    }

    private ResponseEntity<Ticket> answer(String id, int port, String path, PreviewTickets.Issued issued) {
        PreviewOrigin origin = new PreviewOrigin(id, port);
        String base = origin.url(properties.scheme(), properties.domain(), publicPort());
        String url = base + PreviewFilter.REDEEM_PATH + "?ticket=" + issued.ticket()
                + "&next=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new Ticket(url, issued.expiresAt(), base));
    }

    private int publicPort() {
        return properties.publicPort() == 0 ? portalPort : properties.publicPort();
    }

    private static int port(TicketRequest body) {
        if (body == null || body.port() == null || body.port() < 1 || body.port() > 65535) {
            throw DomainException.invalid("port must be a number from 1 to 65535");
        }
        return body.port();
    }
}
