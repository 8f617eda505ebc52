package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

/** The organisation's first event when its first start configures no members at all. */
@Revision("1")
public record OrganizationCreatedEvent(String organizationId) {
}
