package dev.rdeportal.command.firewall;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.domain.firewall.ReplaceFirewallRulesCommand;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The portal's one firewall ({@value ReplaceFirewallRulesCommand#FIREWALL_ID}): its rule set. It
 * comes into being with the first change. Two admins saving at once race on the same aggregate
 * sequence: one wins, the other gets a concurrency conflict (409) rather than silently overwriting.
 */
@Aggregate
class Firewall {

    @AggregateIdentifier
    private String id;
    private List<FirewallRule> rules = List.of();

    Firewall() {
        // for Axon
    }

    /** Saving the rules that are already in force records nothing. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReplaceFirewallRulesCommand cmd) {
        if (id != null && rules.equals(cmd.rules())) {
            return;
        }
        apply(new FirewallRulesReplacedEvent(cmd.firewallId(), cmd.rules()));
    }

    @EventSourcingHandler
    void on(FirewallRulesReplacedEvent e) {
        id = e.firewallId();
        rules = e.rules() == null ? List.of() : List.copyOf(e.rules());
    }
}
