package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

/** Carries only the SHA-256 of the token: the token itself is shown once and never stored. */
@Revision("1")
public record JoinTokenIssuedEvent(String clusterId, String joinTokenHash, String issuedBy) {
}
