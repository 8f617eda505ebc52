package dev.rdeportal.domain.firewall;

import java.util.List;
import org.axonframework.serialization.Revision;

/** The firewall's rules are now exactly these (who changed them is in the metadata). */
@Revision("1")
public record FirewallRulesReplacedEvent(String firewallId, List<FirewallRule> rules) {
}
