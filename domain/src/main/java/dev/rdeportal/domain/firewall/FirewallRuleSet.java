package dev.rdeportal.domain.firewall;

import java.util.List;

/** The firewall's rules in the order the admin wrote them; answers {@link FindFirewallRulesQuery}. */
public record FirewallRuleSet(List<FirewallRule> rules) {

    public FirewallRuleSet {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
