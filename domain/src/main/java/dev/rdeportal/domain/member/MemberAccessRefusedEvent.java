package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/**
 * An authenticated user who is not a member called the API ({@code target}: method and path).
 * Recorded at most once per user per throttle interval.
 */
@Revision("1")
public record MemberAccessRefusedEvent(String email, String target) {
}
