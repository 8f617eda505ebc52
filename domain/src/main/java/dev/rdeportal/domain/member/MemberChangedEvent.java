package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/** A member's role, trust or limit changed; the event carries all three as they now are. */
@Revision("1")
public record MemberChangedEvent(String organizationId, String email, MemberRole role, boolean trusted,
                                 Integer workspaceLimit) {
}
