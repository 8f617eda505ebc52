package dev.rdeportal.gateway.terminal;

import dev.rdeportal.domain.connection.TerminalConnectionRefusedEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * {@code GET /api/v1/workspaces/{id}/terminal}: checks the Origin before anything is upgraded,
 * then hands the request to the WebSocket handshake. No bearer token here (a browser cannot put one
 * on a WebSocket); the one-time ticket that follows is the credential, and the Origin check keeps
 * other sites' pages from using a ticket they might have got hold of.
 */
final class TerminalEndpoint implements WebHandler {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.terminal");

    static final String PATH_PATTERN = "/api/v1/workspaces/*/terminal";

    private final WebSocketService upgrades;
    private final TerminalWebSocketHandler handler;
    private final TerminalAudit audit;
    private final List<String> allowedOrigins;

    TerminalEndpoint(WebSocketService upgrades, TerminalWebSocketHandler handler, TerminalAudit audit,
                     List<String> allowedOrigins) {
        this.upgrades = upgrades;
        this.handler = handler;
        this.audit = audit;
        this.allowedOrigins = allowedOrigins.stream().map(TerminalProperties::origin).toList();
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        String workspaceId = path.substring("/api/v1/workspaces/".length(), path.length() - "/terminal".length());
        String clientIp = ClientIp.of(exchange);
        String origin = exchange.getRequest().getHeaders().getOrigin();
        if (origin == null || !allowedOrigins.contains(TerminalProperties.origin(origin))) {
            String shownOrigin = origin == null ? null : origin.replaceAll("[^\\x20-\\x7e]", "?");
            String shownWorkspace = WorkspaceAccess.validId(workspaceId) ? workspaceId : null;
            log.warn("terminal WebSocket for workspace {} from {} refused: origin {} is not allowed",
                    shownWorkspace == null ? "(invalid id)" : shownWorkspace, clientIp,
                    shownOrigin == null ? "missing" : "'" + shownOrigin + "'");
            exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
            return audit.record(new TerminalConnectionRefusedEvent(shownWorkspace, shownOrigin,
                            shownOrigin == null ? "no Origin header" : "origin not allowed"), null, clientIp)
                    .then(exchange.getResponse().setComplete());
        }
        if (!WorkspaceAccess.validId(workspaceId)) {
            exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
            return exchange.getResponse().setComplete();
        }
        Runnable read = readOf(exchange);
        return upgrades.handleRequest(exchange, session -> handler.handle(session, workspaceId, clientIp, read));
    }

    /**
     * Asks the connection under the WebSocket to read from its socket now: see
     * {@code TerminalWebSocketHandler}'s auth wait. Nothing where the server is not Reactor Netty.
     */
    private static Runnable readOf(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (request instanceof Connection connection) {
            io.netty.channel.Channel channel = connection.channel();
            return channel::read;
        }
        return () -> { };
    }
}
