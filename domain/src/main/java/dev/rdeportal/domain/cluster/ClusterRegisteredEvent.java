package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ClusterRegisteredEvent(String clusterId, String name, String registeredBy) {
}
