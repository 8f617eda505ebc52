package dev.rdeportal.domain.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An authenticated user whose email domain the portal's auto-join rule names becomes a
 * {@code user} member (the portal decides eligibility from its configuration). Already a member:
 * nothing is recorded. Answers the {@link MemberList}.
 */
public record AutoJoinMemberCommand(@TargetAggregateIdentifier String organizationId, String email, String domainRule) {

    public AutoJoinMemberCommand {
        email = Member.email(email);
    }
}
