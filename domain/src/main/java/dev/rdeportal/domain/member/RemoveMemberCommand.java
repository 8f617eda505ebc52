package dev.rdeportal.domain.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends a membership. Answers the {@link MemberList}. */
public record RemoveMemberCommand(@TargetAggregateIdentifier String organizationId, String email) {

    public RemoveMemberCommand {
        email = Member.email(email);
    }
}
