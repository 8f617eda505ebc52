package dev.rdeportal.domain.firewall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an address may connect. Precedence:
 * <ol>
 *   <li>no rules: every address is allowed;</li>
 *   <li>otherwise the most specific matching rule (longest prefix) decides, and on an equal
 *       prefix deny wins over allow;</li>
 *   <li>an address no rule matches is allowed only while there is no allow rule at all: one allow
 *       rule turns the firewall into an allow list;</li>
 *   <li>an address that is not an IP literal (which the portal never produces from a socket) is
 *       refused as soon as there is any rule.</li>
 * </ol>
 * Immutable and cheap to query (a scan of at most {@link ReplaceFirewallRulesCommand#MAX_RULES}
 * pre-parsed networks), so it is built once per rule change and shared.
 */
public final class FirewallPolicy {

    public static final FirewallPolicy ALLOW_ALL = new FirewallPolicy(List.of(), false);

    /** Why an address was refused; {@code rule} is null when no rule matched. */
    public record Block(FirewallRule rule, String reason) {
    }

    private record Compiled(FirewallRule rule, Cidr cidr) {
    }

    /** Most specific first, deny before allow on an equal prefix: the first match decides. */
    private static final Comparator<Compiled> PRECEDENCE = Comparator
            .comparingInt((Compiled c) -> c.cidr().prefixLength()).reversed()
            .thenComparing(c -> c.rule().action() == FirewallAction.DENY ? 0 : 1);

    private final List<Compiled> rules;
    private final boolean allowList;

    private FirewallPolicy(List<Compiled> rules, boolean allowList) {
        this.rules = rules;
        this.allowList = allowList;
    }

    /**
     * Compiles stored rules. A rule whose network no longer parses (history written under other
     * rules) is skipped rather than taking the firewall down; commands never produce one.
     */
    public static FirewallPolicy of(List<FirewallRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return ALLOW_ALL;
        }
        List<Compiled> compiled = new ArrayList<>();
        for (FirewallRule rule : rules) {
            if (rule != null && rule.action() != null) {
                Cidr.tryParse(rule.cidr()).ifPresent(cidr -> compiled.add(new Compiled(rule, cidr)));
            }
        }
        compiled.sort(PRECEDENCE);
        boolean allowList = compiled.stream().anyMatch(c -> c.rule().action() == FirewallAction.ALLOW);
        return new FirewallPolicy(List.copyOf(compiled), allowList);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Empty when the address may connect; otherwise the rule that refused it, and why. */
    public Optional<Block> check(String clientIp) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> address = IpAddress.parse(clientIp);
        if (address.isEmpty()) {
            return Optional.of(new Block(null, "the client address is unknown"));
        }
        for (Compiled c : rules) {
            if (c.cidr().contains(address.get())) {
                return c.rule().action() == FirewallAction.DENY
                        ? Optional.of(new Block(c.rule(), "denied by rule " + c.rule().cidr()))
                        : Optional.empty();
            }
        }
        return allowList ? Optional.of(new Block(null, "no allow rule matches the address")) : Optional.empty();
    }
}
