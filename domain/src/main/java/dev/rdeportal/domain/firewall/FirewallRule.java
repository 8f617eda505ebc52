package dev.rdeportal.domain.firewall;

/**
 * One rule of the firewall. In events and read models the network is kept as the text that was
 * accepted (canonical at the time), so history stays readable whatever parsing becomes later.
 *
 * @param cidr a network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address
 * @param note why the rule exists, for the admins who come after; may be null
 */
public record FirewallRule(FirewallAction action, String cidr, String note) {
}
