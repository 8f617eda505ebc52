package dev.rdeportal.domain.blueprint;

/** CPU in millicores, memory in MiB, storage in GiB. Carried by events: no validation here. */
public record Resources(int cpuMillis, int memoryMib, int storageGib) {
}
