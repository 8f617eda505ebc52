package dev.rdeportal.domain.firewall;

import org.axonframework.serialization.Revision;

/**
 * The firewall refused a connection. An audit event without an aggregate, published where the
 * connection was refused; repeated attempts of one address at one target are recorded at most
 * once per interval, so a blocked client cannot flood the history.
 *
 * @param user     who, when the refusing component knew (a preview cookie does; a terminal upgrade
 *                 or an API call refused before authentication does not): else null
 * @param clientIp the address the portal believes (see the client-IP rules in the README)
 * @param target   what was asked for, e.g. {@code terminal:ws-abc}, {@code preview:ws-abc:3000},
 *                 {@code api:GET /api/v1/workspaces}
 * @param rule     the deny rule that matched, or null when no rule matched and allow rules exist
 * @param reason   in words
 */
@Revision("1")
public record FirewallBlockedEvent(String user, String clientIp, String target, FirewallRule rule, String reason) {
}
