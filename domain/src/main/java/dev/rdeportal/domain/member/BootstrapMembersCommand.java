package dev.rdeportal.domain.member;

import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent on every start: the configured admins become (or stay) admins, the configured users become
 * members if they are not already. Idempotent: nothing is recorded when all hold. Answers the
 * {@link MemberList}.
 */
public record BootstrapMembersCommand(@TargetAggregateIdentifier String organizationId, Set<String> admins,
                                      Set<String> users) {

    public BootstrapMembersCommand {
        admins = admins == null ? Set.of() : Set.copyOf(admins.stream().map(Member::email).toList());
        users = users == null ? Set.of() : Set.copyOf(users.stream().map(Member::email).toList());
    }
}
