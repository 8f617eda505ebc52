package dev.rdeportal.query.firewall;

import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers {@link FindFirewallRulesQuery} from the read model, without blocking the caller. */
@Component
class FirewallQueryHandler {

    private final FirewallReadRepository firewall;

    FirewallQueryHandler(FirewallReadRepository firewall) {
        this.firewall = firewall;
    }

    @QueryHandler
    CompletableFuture<FirewallRuleSet> handle(FindFirewallRulesQuery query) {
        return firewall.rules().toFuture();
    }
}
