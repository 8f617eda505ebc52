package dev.rdeportal.gateway.terminal;

import java.net.InetSocketAddress;
import org.springframework.web.server.ServerWebExchange;

/** Where a request came from, as the rest of the portal decides it. */
public final class ClientIp {

    /**
     * The exchange attribute where the portal puts the client IP it believes (the socket, or
     * X-Forwarded-For from a trusted proxy); the same name as the command side's
     * {@code CommandSender.CLIENT_IP_ATTRIBUTE}, which this module may not depend on.
     */
    public static final String ATTRIBUTE = "rde.clientIp";

    private ClientIp() {
    }

    public static String of(ServerWebExchange exchange) {
        Object decided = exchange.getAttribute(ATTRIBUTE);
        if (decided instanceof String ip) {
            return ip;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
