package dev.rdeportal.domain.firewall;

/**
 * The current rules; answers {@link FirewallRuleSet}. As a subscription query, updates follow
 * every change (on the replica that projected it).
 */
public record FindFirewallRulesQuery() {
}
