package dev.rdeportal.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HashChainTest {

    private static final StoredEvent EVENT = new StoredEvent(7, "e-1", "w-1", 2, "a.b.WorkspaceStoppedEvent", "1",
            "2025-03-01T09:00:00.000Z", "Workspace", bytes("{\"workspaceId\":\"w-1\"}"), bytes("{\"actor\":\"ann\"}"));

    @Test
    void theFormatIsFrozen() {
        // Recorded chains depend on these exact bytes; changing the encoding needs a new format prefix.
        assertThat(HashChain.hex(HashChain.link(HashChain.GENESIS, EVENT)))
                .isEqualTo(HashChain.hex(sha256(concat(new byte[32], HashChain.canonical(EVENT)))));
        byte[] canonical = HashChain.canonical(EVENT);
        assertThat(new String(canonical, 0, 11, StandardCharsets.US_ASCII)).isEqualTo("rde-audit/1");
        assertThat(canonical).hasSize(11 + 8 + 8 + (4 + 3) + (4 + 3) + (4 + 25) + (4 + 1) + (4 + 24) + (4 + 21) + (4 + 15));
    }

    @Test
    void everyFieldChangesTheLink() {
        byte[] original = HashChain.link(HashChain.GENESIS, EVENT);
        List<UnaryOperator<StoredEvent>> changes = List.of(
                e -> with(e, 8, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), e.payloadRevision(), e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, "e-2", e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), e.payloadRevision(), e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), "w-2", e.sequenceNumber(), e.payloadType(), e.payloadRevision(), e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), 3, e.payloadType(), e.payloadRevision(), e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), "a.b.Other", e.payloadRevision(), e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), null, e.timeStamp(), e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), e.payloadRevision(), "2025-03-01T09:00:00.001Z", e.payload(), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), e.payloadRevision(), e.timeStamp(), bytes("{\"workspaceId\":\"w-2\"}"), e.metaData()),
                e -> with(e, 7, e.eventIdentifier(), e.aggregateIdentifier(), e.sequenceNumber(), e.payloadType(), e.payloadRevision(), e.timeStamp(), e.payload(), bytes("{\"actor\":\"bob\"}")));
        for (UnaryOperator<StoredEvent> change : changes) {
            assertThat(HashChain.link(HashChain.GENESIS, change.apply(EVENT))).isNotEqualTo(original);
        }
        assertThat(HashChain.link(new byte[32], EVENT)).as("deterministic").isEqualTo(original);
        assertThat(HashChain.link(original, EVENT)).as("depends on the previous link").isNotEqualTo(original);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // "ab" + "c" and "a" + "bc" concatenate alike; the length prefixes keep them apart.
        StoredEvent left = with(EVENT, 7, "ab", "c", 2, EVENT.payloadType(), "1", EVENT.timeStamp(), EVENT.payload(), EVENT.metaData());
        StoredEvent right = with(EVENT, 7, "a", "bc", 2, EVENT.payloadType(), "1", EVENT.timeStamp(), EVENT.payload(), EVENT.metaData());
        assertThat(HashChain.canonical(left)).isNotEqualTo(HashChain.canonical(right));
        StoredEvent nullRevision = with(EVENT, 7, "e", "w", 2, EVENT.payloadType(), null, EVENT.timeStamp(), EVENT.payload(), EVENT.metaData());
        StoredEvent emptyRevision = with(EVENT, 7, "e", "w", 2, EVENT.payloadType(), "", EVENT.timeStamp(), EVENT.payload(), EVENT.metaData());
        assertThat(HashChain.canonical(nullRevision)).isNotEqualTo(HashChain.canonical(emptyRevision));
    }

    private static StoredEvent with(StoredEvent e, long index, String id, String aggregate, long sequence, String type,
                                    String revision, String stamp, byte[] payload, byte[] metaData) {
        return new StoredEvent(index, id, aggregate, sequence, type, revision, stamp, e.type(), payload, metaData);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(in);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
