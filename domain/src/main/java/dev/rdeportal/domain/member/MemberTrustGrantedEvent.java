package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/**
 * An admin made a member trusted (on invitation or by a change): their publish requests from now
 * on are approved at once. Follows the {@link MemberJoinedEvent} or {@link MemberChangedEvent} that
 * carries the new flag, so a trust grant is its own entry in the history.
 */
@Revision("1")
public record MemberTrustGrantedEvent(String organizationId, String email) {
}
