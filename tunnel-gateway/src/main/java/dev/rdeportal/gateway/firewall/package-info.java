/**
 * The IP firewall's enforcement point, shared by everything that accepts connections to
 * workspaces (terminals, previews) and, optionally, by the API: {@link
 * dev.rdeportal.gateway.firewall.FirewallGuard#admit}. Rules and precedence are in
 * {@link dev.rdeportal.domain.firewall.FirewallPolicy}.
 */
package dev.rdeportal.gateway.firewall;
