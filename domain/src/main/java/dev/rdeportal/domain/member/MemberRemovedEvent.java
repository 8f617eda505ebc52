package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

@Revision("1")
public record MemberRemovedEvent(String organizationId, String email) {
}
