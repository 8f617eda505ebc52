package dev.rdeportal.domain.connection;

/**
 * The open connections, newest first, at most {@code limit}; answers a list of
 * {@link ConnectionView}. As a subscription query, each connection that opens or closes follows
 * (on the replica that projected it), closed ones with {@code closedAt} set.
 */
public record FindActiveConnectionsQuery(int limit) {
}
