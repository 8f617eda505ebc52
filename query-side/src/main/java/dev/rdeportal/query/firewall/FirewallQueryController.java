package dev.rdeportal.query.firewall;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import dev.rdeportal.query.support.Pages;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/security/firewall} (the rules, as {@code PUT} takes them) and
 * {@code GET /api/v1/security/firewall/events} (refused connections, newest first, cursor paging).
 * Admins only.
 */
@RestController
@RequestMapping("/api/v1/security/firewall")
class FirewallQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final FirewallReadRepository firewall;

    FirewallQueryController(FirewallReadRepository firewall) {
        this.firewall = firewall;
    }

    record RuleResponse(String action, String cidr, String note) {

        static RuleResponse of(FirewallRule rule) {
            return rule == null ? null
                    : new RuleResponse(rule.action().name().toLowerCase(Locale.ROOT), rule.cidr(), rule.note());
        }
    }

    record FirewallResponse(List<RuleResponse> rules) {
    }

    record BlockResponse(Instant at, String user, String clientIp, String target, RuleResponse rule, String reason) {
    }

    @GetMapping
    Mono<FirewallResponse> rules(Principal principal) {
        Caller.of(principal).requireAdmin("reading the firewall");
        return firewall.rules().map(set -> new FirewallResponse(set.rules().stream().map(RuleResponse::of).toList()));
    }

    @GetMapping("/events")
    Mono<ListResponse<BlockResponse>> blocks(Principal principal, @RequestParam(required = false) String limit,
                                             @RequestParam(required = false) String cursor) {
        Caller.of(principal).requireAdmin("reading the firewall's events");
        int pageSize = Pages.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        Long before = cursor(cursor);
        return firewall.blocks(before, pageSize).map(rows -> Pages.of(rows, pageSize, b -> Long.toString(b.position()),
                b -> new BlockResponse(b.at(), b.user(), b.clientIp(), b.target(), RuleResponse.of(b.rule()), b.reason())));
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            long position = Long.parseLong(cursor);
            if (position > 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DomainException.invalid("cursor is not one this API returned");
    }
}
