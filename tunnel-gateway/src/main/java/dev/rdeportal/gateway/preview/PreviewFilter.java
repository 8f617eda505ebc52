package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.connection.PreviewAccessRefusedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.channel.ChannelUnavailableException;
import dev.rdeportal.gateway.firewall.FirewallGuard;
import dev.rdeportal.gateway.terminal.ClientIp;
import dev.rdeportal.gateway.terminal.TerminalAudit;
import dev.rdeportal.gateway.terminal.WorkspaceAccess;
import dev.rdeportal.proto.v1.HttpRequestHead;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The preview origins' front door. A request whose Host is under the preview domain is served
 * here and goes no further: not to the API, not to the UI, not through the portal's bearer-token
 * security (the preview cookie is the credential). Any other request passes untouched.
 * <pre>
 *   GET /__rde/preview/redeem?ticket=T&amp;next=/path   ticket → cookie → 303 to /path
 *   anything else                                      cookie → owner, workspace RUNNING → relay
 * </pre>
 * Failures say what happened: no or stale cookie 401 (with the way back through the portal),
 * refused ticket 403, unknown or not-yours 404, workspace not running 409, app not reachable 502,
 * agent not connected 503.
 */
public final class PreviewFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.preview");

    /** On every preview origin; unlikely to clash with an app's own paths. */
    static final String REDEEM_PATH = "/__rde/preview/redeem";
    static final String COOKIE = "rde_preview";
    /**
     * Right after the client-IP filter (which runs first of all), before the portal's security
     * headers (a previewed app sets its own), its firewall filter and Spring Security.
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private final PreviewProperties properties;
    private final PreviewTickets tickets;
    private final PreviewSessions sessions;
    private final WorkspaceAccess access;
    private final ChannelBroker broker;
    private final PreviewRelay relay;
    private final PreviewResponses responses;
    private final TerminalAudit audit;
    private final FirewallGuard firewall;
    private final PublishedApps published;
    private final Map<String, CachedView> workspaces = new ConcurrentHashMap<>();

    static final Duration WORKSPACE_CACHE_TTL = Duration.ofSeconds(2);

    private record CachedView(WorkspaceView view, long atNanos) {
    }

    PreviewFilter(PreviewProperties properties, PreviewTickets tickets, PreviewSessions sessions, WorkspaceAccess access,
                  ChannelBroker broker, PreviewRelay relay, PreviewResponses responses, TerminalAudit audit,
                  FirewallGuard firewall, PublishedApps published) {
        this.firewall = firewall;
        this.published = published;
        this.properties = properties;
        this.tickets = tickets;
        this.sessions = sessions;
        this.access = access;
        this.broker = broker;
        this.relay = relay;
        this.responses = responses;
        this.audit = audit;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String hostHeader = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
        String hostName = hostName(hostHeader);
        if (!PreviewOrigin.underDomain(hostName, properties.domain())) {
            return chain.filter(exchange);
        }
        Optional<String> publishedName = PublishedOrigin.parse(hostName, properties.domain());
        if (publishedName.isPresent()) {
            return publishedApp(exchange, publishedName.get(), hostHeader);
        }
        Optional<PreviewOrigin> origin = PreviewOrigin.parse(hostName, properties.domain());
        if (origin.isEmpty()) {
            return responses.error(exchange, ErrorCode.NOT_FOUND, "There is no preview at " + printable(hostName) + ".", null);
        }
        if (exchange.getRequest().getPath().value().equals(REDEEM_PATH)) {
            return admitted(exchange, null, origin.get(), () -> redeem(exchange, origin.get()));
        }
        return serve(exchange, origin.get(), hostHeader, null);
    }

    /**
     * A published app's host. Its tickets and cookie sessions are a preview's, with the publish
     * request's id in place of the workspace (see {@link #published(PreviewOrigin)}): the same
     * one-time ticket, host-only cookie, firewall and audit. Who may use it differs: any current
     * member, checked on every request.
     */
    private Mono<Void> publishedApp(ServerWebExchange exchange, String name, String hostHeader) {
        return published.byName(name)
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return responses.error(exchange, ErrorCode.NOT_FOUND, "There is no published app named "
                                + name + ".", null);
                    }
                    PublishRequestView app = found.get();
                    PreviewOrigin origin = new PreviewOrigin(app.id(), app.port());
                    if (exchange.getRequest().getPath().value().equals(REDEEM_PATH)) {
                        return admitted(exchange, null, origin, () -> redeem(exchange, origin));
                    }
                    return serve(exchange, origin, hostHeader, app);
                })
                .onErrorResume(e -> responses.error(exchange, ErrorCode.UNAVAILABLE,
                        "The published app cannot be looked up right now; try again.", null));
    }

    /** Whether an origin is a published app's (its "workspace" is a publish request id). */
    static boolean published(PreviewOrigin origin) {
        return origin.workspaceId().startsWith("pr-");
    }

    /** The IP firewall first: a blocked address gets 403 {@code firewall-blocked}, recorded by the guard. */
    private Mono<Void> admitted(ServerWebExchange exchange, String user, PreviewOrigin origin,
                                Supplier<Mono<Void>> then) {
        String clientIp = ClientIp.of(exchange);
        return firewall.admit(user, clientIp, "preview:" + origin.workspaceId() + ":" + origin.port())
                .flatMap(block -> block.isEmpty() ? then.get()
                        : responses.error(exchange, ErrorCode.FIREWALL_BLOCKED, "Your address " + clientIp
                        + " may not open previews: " + block.get().reason(), null));
    }

    // ---- ticket → cookie -------------------------------------------------------------------------

    private Mono<Void> redeem(ServerWebExchange exchange, PreviewOrigin origin) {
        String clientIp = ClientIp.of(exchange);
        ServerHttpRequest request = exchange.getRequest();
        String ticket = request.getQueryParams().getFirst("ticket");
        String next = safeNext(request.getQueryParams().getFirst("next"));
        return Mono.fromCallable(() -> tickets.redeem(ticket, origin))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(redemption -> {
                    if (redemption instanceof PreviewTickets.Refused refused) {
                        log.warn("preview ticket for port {} of workspace {} from {} refused: {}", origin.port(),
                                origin.workspaceId(), clientIp, refused.reason());
                        return audit.record(new PreviewAccessRefusedEvent(origin.workspaceId(), origin.port(),
                                        refused.user(), refused.reason()), refused.user(), clientIp)
                                .then(responses.error(exchange, ErrorCode.TICKET_INVALID, "This preview link was already "
                                        + "used, has expired, or is not for this preview. Preview links work once, "
                                        + "for " + properties.ticketTtl().toSeconds() + " seconds.", origin));
                    }
                    PreviewTickets.Holder holder = ((PreviewTickets.Accepted) redemption).holder();
                    return Mono.fromCallable(() -> sessions.open(holder, clientIp))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(opened -> {
                                PreviewSessions.Session s = opened.session();
                                log.info("preview session {} opened on port {} of workspace {} for {} from {}",
                                        s.sessionId(), s.port(), s.workspaceId(), s.user(), clientIp);
                                exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, opened.cookie())
                                        .httpOnly(true)
                                        .secure(properties.secure())
                                        .sameSite("Lax")
                                        .path("/")
                                        .maxAge(sessions.lifetime())
                                        .build());
                                exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
                                exchange.getResponse().getHeaders().setLocation(URI.create(next));
                                exchange.getResponse().getHeaders().setCacheControl("no-store");
                                return audit.record(new PreviewSessionOpenedEvent(s.sessionId(), s.workspaceId(),
                                                s.port(), s.user(), clientIp, s.openedAt(), s.expiresAt()), s.user(), clientIp)
                                        .then(exchange.getResponse().setComplete());
                            });
                });
    }

    /** Only a path on this origin: never another site, never a scheme-relative "//host". */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/";
        }
        try {
            URI uri = URI.create(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : "/";
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }

    // ---- cookie → relay --------------------------------------------------------------------------

    /** @param app the published app served on this origin; null for a workspace preview */
    private Mono<Void> serve(ServerWebExchange exchange, PreviewOrigin origin, String hostHeader, PublishRequestView app) {
        String clientIp = ClientIp.of(exchange);
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(COOKIE);
        if (cookie == null) {
            return needSession(exchange, origin);
        }
        PreviewSessions.Session hit = sessions.cached(cookie.getValue());
        Mono<Optional<PreviewSessions.Session>> lookup = hit != null ? Mono.just(Optional.of(hit))
                : Mono.fromCallable(() -> sessions.find(cookie.getValue())).subscribeOn(Schedulers.boundedElastic());
        return lookup
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return needSession(exchange, origin);
                    }
                    PreviewSessions.Session session = found.get();
                    if (!session.origin().equals(origin)) {
                        // Cookies are host-only: a browser never sends one origin's cookie to another.
                        log.warn("preview cookie of session {} presented on port {} of workspace {} from {}",
                                session.sessionId(), origin.port(), origin.workspaceId(), clientIp);
                        return audit.record(new PreviewAccessRefusedEvent(origin.workspaceId(), origin.port(),
                                        session.user(), "cookie presented on another preview origin"), session.user(), clientIp)
                                .then(notFound(exchange));
                    }
                    return admitted(exchange, session.user(), origin, () -> app == null
                            ? relay(exchange, session, hostHeader, clientIp)
                            : relayPublished(exchange, session, app, hostHeader, clientIp));
                });
    }

    private Mono<Void> relay(ServerWebExchange exchange, PreviewSessions.Session session, String hostHeader,
                             String clientIp) {
        PreviewOrigin origin = session.origin();
        PreviewRelay.Traffic traffic = new PreviewRelay.Traffic();
        boolean websocket = isWebSocket(exchange.getRequest());
        return workspace(session)
                .flatMap(view -> view.status() == WorkspaceStatus.RUNNING ? Mono.just(view)
                        : Mono.error(DomainException.conflict("workspace " + view.id() + " is " + view.status()
                        + "; start it to see its preview.")))
                .flatMap(view -> {
                    sessions.count(session, 1, 0, 0);
                    HttpRequestHead head = head(exchange.getRequest(), websocket, hostHeader, clientIp);
                    return relay.relay(exchange, websocket, traffic, () -> broker.openPreview(view.clusterId(), view.id(),
                            session.user(), origin.port(), head, !websocket && bodiless(exchange.getRequest())));
                })
                .onErrorResume(e -> failed(exchange, origin, unwrap(e)))
                .doFinally(signal -> sessions.count(session, 0, traffic.in.get(), traffic.out.get()));
    }

    /** Like {@link #relay}, to a published app, for whoever is a member now (a former member's cookie stops working). */
    private Mono<Void> relayPublished(ServerWebExchange exchange, PreviewSessions.Session session, PublishRequestView app,
                                      String hostHeader, String clientIp) {
        PreviewOrigin origin = session.origin();
        PreviewRelay.Traffic traffic = new PreviewRelay.Traffic();
        boolean websocket = isWebSocket(exchange.getRequest());
        return published.isMember(session.user())
                .flatMap(member -> {
                    if (!member) {
                        log.warn("published app {}: {} is no longer a member; refused", app.id(), session.user());
                        return audit.record(new PreviewAccessRefusedEvent(app.id(), app.port(), session.user(),
                                        "not a member of this portal"), session.user(), clientIp)
                                .then(Mono.error(new DomainException(ErrorCode.NOT_A_MEMBER,
                                        "Published apps are for members of this portal only.")));
                    }
                    sessions.count(session, 1, 0, 0);
                    HttpRequestHead head = head(exchange.getRequest(), websocket, hostHeader, clientIp);
                    return relay.relay(exchange, websocket, traffic, () -> broker.openPublished(app.clusterId(), app.id(),
                            session.user(), head, !websocket && bodiless(exchange.getRequest())));
                })
                .onErrorResume(e -> failed(exchange, origin, unwrap(e)))
                .doFinally(signal -> sessions.count(session, 0, traffic.in.get(), traffic.out.get()));
    }

    /**
     * The session's workspace, as the read side last said (at most {@link #WORKSPACE_CACHE_TTL}
     * ago): a page load is dozens of requests, and asking the read side for each cost more than
     * relaying it. A workspace that stopped meanwhile is refused by its agent instead.
     */
    private Mono<WorkspaceView> workspace(PreviewSessions.Session session) {
        String key = session.workspaceId() + "|" + session.user();
        long now = System.nanoTime();
        CachedView cached = workspaces.get(key);
        if (cached != null && now - cached.atNanos() < WORKSPACE_CACHE_TTL.toNanos()) {
            return Mono.just(cached.view());
        }
        return access.owned(session.workspaceId(), session.user()).doOnNext(view -> {
            if (workspaces.size() > 10_000) {
                workspaces.clear();
            }
            workspaces.put(key, new CachedView(view, now));
        });
    }

    private HttpRequestHead head(ServerHttpRequest request, boolean websocket, String hostHeader, String clientIp) {
        URI uri = request.getURI();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequestHead.Builder head = HttpRequestHead.newBuilder()
                .setMethod(request.getMethod().name())
                .setTarget(target)
                .setWebsocket(websocket)
                .addAllHeaders(PreviewHeaders.toApp(request.getHeaders(), websocket, COOKIE, hostHeader,
                        properties.scheme(), clientIp));
        if (websocket) {
            for (String value : request.getHeaders().getOrEmpty("Sec-WebSocket-Protocol")) {
                for (String protocol : value.split(",")) {
                    if (!protocol.isBlank()) {
                        head.addSubprotocols(protocol.strip());
                    }
                }
            }
        }
        return head.build();
    }

    private Mono<Void> failed(ServerWebExchange exchange, PreviewOrigin origin, Throwable e) {
        if (e instanceof DomainException d && d.code() == ErrorCode.NOT_FOUND) {
            return notFound(exchange);
        }
        if (e instanceof DomainException d) {
            return responses.error(exchange, d.code(), d.getMessage(), origin);
        }
        if (e instanceof ChannelUnavailableException c) {
            log.info("preview of port {} of workspace {} unavailable: {}", origin.port(), origin.workspaceId(), c.getMessage());
            return c.agentMissing()
                    ? responses.error(exchange, ErrorCode.UNAVAILABLE, "The workspace's agent is not connected to the "
                    + "portal; the preview is back once it reconnects.", origin)
                    : responses.error(exchange, ErrorCode.APP_UNREACHABLE, c.getMessage(), origin);
        }
        if (e instanceof PreviewRelay.Unreachable u) {
            log.info("preview of port {} of workspace {}: {}", origin.port(), origin.workspaceId(), u.getMessage());
            return responses.error(exchange, ErrorCode.APP_UNREACHABLE, u.getMessage(), origin);
        }
        log.warn("preview of port {} of workspace {} failed", origin.port(), origin.workspaceId(), e);
        return responses.error(exchange, ErrorCode.INTERNAL, "The preview failed; see the portal's log.", origin);
    }

    private Mono<Void> needSession(ServerWebExchange exchange, PreviewOrigin origin) {
        return responses.error(exchange, ErrorCode.PREVIEW_SESSION_REQUIRED, "This preview is private. Open it from the "
                + "RDE portal, which signs you in to it.", origin);
    }

    private Mono<Void> notFound(ServerWebExchange exchange) {
        return responses.error(exchange, ErrorCode.NOT_FOUND, "There is no such preview.", null);
    }

    /**
     * An HTTP/1.1 request without a body by its framing (RFC 9112 §6.3): neither Transfer-Encoding
     * nor a Content-Length above 0. Its End can go out with its head.
     */
    static boolean bodiless(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        if (headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return false;
        }
        String length = headers.getFirst(HttpHeaders.CONTENT_LENGTH);
        return length == null || length.strip().equals("0");
    }

    static boolean isWebSocket(ServerHttpRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())
                && request.getMethod().name().equals("GET");
    }

    /** The host of a Host header, without its port; lower case. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host; // an IPv6 literal is never a preview origin
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String printable(String value) {
        return value.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
