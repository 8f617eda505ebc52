package dev.rdeportal.domain.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks the organisation, under its lock, for a member as they are now (role, trust); answers the
 * {@link Member} or refuses with {@code not-a-member}. Records nothing.
 */
public record ResolveMemberCommand(@TargetAggregateIdentifier String organizationId, String email) {
}
