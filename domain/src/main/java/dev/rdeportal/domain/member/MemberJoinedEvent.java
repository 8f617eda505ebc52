package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/** A new member; {@code via} is {@code invitation}, {@code auto-join:<domain>} or {@code bootstrap}. */
@Revision("1")
public record MemberJoinedEvent(String organizationId, String email, MemberRole role, boolean trusted,
                                Integer workspaceLimit, String via) {
}
