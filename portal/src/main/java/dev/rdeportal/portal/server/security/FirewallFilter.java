package dev.rdeportal.portal.server.security;

import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.gateway.firewall.FirewallGuard;
import dev.rdeportal.gateway.firewall.FirewallProperties;
import dev.rdeportal.portal.server.web.ProblemWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Applies the IP firewall to terminal WebSockets, before the upgrade and before any ticket is
 * looked at, and with {@code rde.security.firewall.apply-to-api} to every {@code /api/**} call,
 * before authentication (a blocked address learns nothing about tokens). Runs right after
 * {@link ClientAddressFilter}. Who is calling is not known this early, so the recorded event names
 * no user; previews, which know the user from their cookie, call the same guard themselves.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class FirewallFilter implements WebFilter {

    static final PathPattern TERMINAL = PathPatternParser.defaultInstance.parse("/api/v1/workspaces/{id}/terminal");

    private final FirewallGuard guard;
    private final ProblemWriter problems;
    private final boolean applyToApi;

    FirewallFilter(FirewallGuard guard, ProblemWriter problems, FirewallProperties properties) {
        this.guard = guard;
        this.problems = problems;
        this.applyToApi = properties.applyToApi();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String target = target(exchange);
        if (target == null) {
            return chain.filter(exchange);
        }
        Object decided = exchange.getAttribute(ClientAddressFilter.CLIENT_IP);
        String clientIp = decided instanceof String ip ? ip : "unknown";
        return guard.admit(null, clientIp, target).flatMap(block -> block.isEmpty()
                ? chain.filter(exchange)
                : problems.write(exchange, ErrorCode.FIREWALL_BLOCKED,
                        "connections from your address (" + clientIp + ") are not allowed here"));
    }

    /** What the firewall guards on this request, as its events name it; null when nothing. */
    private String target(ServerWebExchange exchange) {
        var path = exchange.getRequest().getPath().pathWithinApplication();
        PathPattern.PathMatchInfo terminal = TERMINAL.matchAndExtract(path);
        if (terminal != null) {
            return "terminal:" + printable(terminal.getUriVariables().get("id"));
        }
        String value = path.value();
        if (applyToApi && (value.equals("/api") || value.startsWith("/api/"))) {
            return "api:" + exchange.getRequest().getMethod().name() + " " + printable(value);
        }
        return null;
    }

    /** Paths are the client's words: kept short and printable before they reach the history. */
    private static String printable(String s) {
        String shown = s.replaceAll("[^\\x21-\\x7e]", "?");
        return shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
    }
}
