package dev.rdeportal.domain.firewall;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces the whole rule set (the API is a PUT of the list). Validated here, so an aggregate only
 * ever sees canonical networks: each {@code cidr} is rewritten to its canonical form
 * ({@code 2001:DB8:0::/32} → {@code 2001:db8::/32}), and a network may appear only once.
 */
public record ReplaceFirewallRulesCommand(@TargetAggregateIdentifier String firewallId, List<FirewallRule> rules) {

    /** The firewall is one per portal. */
    public static final String FIREWALL_ID = "firewall";
    public static final int MAX_RULES = 500;
    public static final int MAX_NOTE = 200;

    public ReplaceFirewallRulesCommand {
        if (!FIREWALL_ID.equals(firewallId)) {
            throw DomainException.invalid("there is one firewall, '" + FIREWALL_ID + "'");
        }
        if (rules == null) {
            throw DomainException.invalid("rules is required (an empty list allows every address)");
        }
        if (rules.size() > MAX_RULES) {
            throw DomainException.invalid("at most " + MAX_RULES + " rules");
        }
        List<FirewallRule> canonical = new ArrayList<>(rules.size());
        Set<Cidr> seen = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            FirewallRule rule = rules.get(i);
            String where = "rules[" + i + "]";
            if (rule == null || rule.action() == null) {
                throw DomainException.invalid(where + ".action must be allow or deny");
            }
            Cidr cidr;
            try {
                cidr = Cidr.parse(rule.cidr());
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid(where + ".cidr: " + e.getMessage());
            }
            if (!seen.add(cidr)) {
                throw DomainException.invalid(where + ".cidr: " + cidr + " appears more than once");
            }
            String note = rule.note() == null || rule.note().isBlank() ? null : rule.note().strip();
            if (note != null && note.length() > MAX_NOTE) {
                throw DomainException.invalid(where + ".note must be at most " + MAX_NOTE + " characters");
            }
            Validation.text(where + ".note", note);
            canonical.add(new FirewallRule(rule.action(), cidr.toString(), note));
        }
        rules = List.copyOf(canonical);
    }
}
