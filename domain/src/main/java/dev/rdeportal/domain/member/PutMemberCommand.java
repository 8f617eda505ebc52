package dev.rdeportal.domain.member;

import dev.rdeportal.domain.DomainException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Invites a member or changes one (an admin's {@code PUT /api/v1/members/{email}}). Answers the {@link MemberList}. */
public record PutMemberCommand(@TargetAggregateIdentifier String organizationId, String email, MemberRole role,
                               boolean trusted, Integer workspaceLimit) {

    public PutMemberCommand {
        email = Member.email(email);
        if (role == null) {
            throw DomainException.invalid("role must be admin or user");
        }
        Member.workspaceLimit(workspaceLimit);
    }
}
