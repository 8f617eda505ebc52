package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallPolicy;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import dev.rdeportal.domain.firewall.ReplaceFirewallRulesCommand;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code PUT /api/v1/security/firewall} (admins only): replaces the rule set. Answers once the read
 * model (and so {@code GET} and the firewall's cache on this replica) shows the new rules, or
 * after a few seconds with the accepted rules if it lags: the change is committed either way.
 */
@RestController
@RequestMapping("/api/v1/security/firewall")
class FirewallCommandController {

    static final Duration READ_YOUR_WRITE = Duration.ofSeconds(5);

    private final CommandSender commands;
    private final QueryGateway queries;
    private final boolean appliesToApi;

    FirewallCommandController(CommandSender commands, QueryGateway queries,
                              @Value("${rde.security.firewall.apply-to-api:false}") boolean appliesToApi) {
        this.commands = commands;
        this.queries = queries;
        this.appliesToApi = appliesToApi;
    }

    record RuleBody(String action, String cidr, String note) {

        static RuleBody of(FirewallRule rule) {
            return new RuleBody(rule.action().name().toLowerCase(Locale.ROOT), rule.cidr(), rule.note());
        }
    }

    record FirewallBody(List<RuleBody> rules) {
    }

    @PutMapping
    Mono<FirewallBody> replace(@RequestBody FirewallBody request, Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        if (request == null || request.rules() == null) {
            throw DomainException.invalid("rules is required (an empty list allows every address)");
        }
        List<FirewallRule> rules = new ArrayList<>(request.rules().size());
        for (int i = 0; i < request.rules().size(); i++) {
            RuleBody rule = request.rules().get(i);
            rules.add(rule == null ? null : new FirewallRule(action(i, rule.action()), rule.cidr(), rule.note()));
        }
        var command = new ReplaceFirewallRulesCommand(ReplaceFirewallRulesCommand.FIREWALL_ID, rules);
        if (appliesToApi) {
            String callerIp = CommandSender.clientIp(exchange);
            FirewallPolicy.of(command.rules()).check(callerIp).ifPresent(block -> {
                throw DomainException.invalid("these rules would block your own address " + callerIp
                        + " from the API (" + block.reason() + "); allow it first");
            });
        }
        FirewallBody accepted = new FirewallBody(command.rules().stream().map(RuleBody::of).toList());
        return commands.send(command, caller, exchange)
                // A tick that comes while a query is still out is dropped: on a busy machine a query
                // can take longer than the period, and interval must not overflow.
                .then(Flux.interval(Duration.ZERO, Duration.ofMillis(100))
                        .onBackpressureDrop()
                        .concatMap(tick -> Mono.fromFuture(queries.query(new FindFirewallRulesQuery(),
                                ResponseTypes.instanceOf(FirewallRuleSet.class))))
                        .filter(current -> current.rules().equals(command.rules()))
                        .next()
                        .timeout(READ_YOUR_WRITE)
                        .onErrorResume(java.util.concurrent.TimeoutException.class, e -> Mono.empty())
                        .thenReturn(accepted));
    }

    private static FirewallAction action(int index, String action) {
        if (action != null) {
            switch (action.trim().toLowerCase(Locale.ROOT)) {
                case "allow" -> {
                    return FirewallAction.ALLOW;
                }
                case "deny" -> {
                    return FirewallAction.DENY;
                }
                default -> {
                }
            }
        }
        throw DomainException.invalid("rules[" + index + "].action must be allow or deny");
    }

    /** The security rules say so too; this is the second line of defence. */
    private static void requireAdmin(Principal caller) {
        boolean admin = caller instanceof Authentication authentication && authentication.getAuthorities().stream()
                .anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new DomainException(ErrorCode.FORBIDDEN, "changing the firewall is for admins only");
        }
    }
}
