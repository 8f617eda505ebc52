package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/**
 * An admin withdrew a member's trust: their future publish requests wait for review. Requests
 * already approved stay approved.
 */
@Revision("1")
public record MemberTrustRevokedEvent(String organizationId, String email) {
}
