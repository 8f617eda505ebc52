package dev.rdeportal.query.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes the audit chain from the event rows and compares it with the recorded links (what
 * each kind of finding means is in {@code package-info}). Streams both tables in chunks, so a
 * history of any length verifies in constant memory; findings are capped.
 */
@Component
class ChainVerifier {

    static final int MAX_FINDINGS = 100;
    static final int PROGRESS_EVERY = 10_000;

    private static final String WALK = "SELECT c.position, c.global_index AS linked_index, c.link, "
            + StoredEvent.COLUMNS + " FROM audit_chain c LEFT JOIN domain_event_entry e "
            + "ON e.global_index = c.global_index WHERE c.position > ? ORDER BY c.position LIMIT ?";
    private static final String UNLINKED = "SELECT e.global_index FROM domain_event_entry e "
            + "WHERE e.global_index <= ? AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.global_index = e.global_index) "
            + "AND e.global_index > ? ORDER BY e.global_index LIMIT ?";

    private final JdbcTemplate jdbc;

    ChainVerifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The last recorded link, as the processor wrote it (not recomputed); empty before the first event. */
    Optional<VerificationReport.Head> recordedHead() {
        return jdbc.query("SELECT global_index, position, link FROM audit_chain ORDER BY position DESC LIMIT 1",
                (rs, n) -> new VerificationReport.Head(rs.getLong("global_index"), rs.getLong("position"),
                        rs.getString("link"))).stream().findFirst();
    }

    VerificationReport verify() {
        return verify(checked -> { });
    }

    /** @param progress told the number of links checked so far, now and then */
    VerificationReport verify(LongConsumer progress) {
        Walk walk = new Walk(progress);
        KeysetScan.scan(jdbc, WALK, List.of(), "position", 0, rs -> {
            long position = rs.getLong("position");
            long index = rs.getLong("linked_index");
            byte[] recorded = HashChain.unhex(rs.getString("link"));
            boolean gone = rs.getString("event_identifier") == null;
            walk.step(position, index, recorded, gone ? null : StoredEvent.read(rs, index));
            return true;
        });
        List<VerificationReport.Finding> inserted = new ArrayList<>();
        long maxLinked = walk.maxLinkedIndex;
        // From the lowest possible index: a row forged at 0 or below is still an insertion.
        KeysetScan.scan(jdbc, UNLINKED, List.of(maxLinked), "global_index", Long.MIN_VALUE, rs -> {
            inserted.add(new VerificationReport.Finding(rs.getLong("global_index"), VerificationReport.INSERTED,
                    "the event has no link although later events do: it was added outside the event store"));
            return inserted.size() < MAX_FINDINGS;
        });
        Long pending = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE global_index > ?",
                Long.class, maxLinked);

        List<VerificationReport.Finding> findings = new ArrayList<>(walk.findings);
        findings.addAll(inserted);
        findings.sort(Comparator.comparingLong(VerificationReport.Finding::sequence));
        boolean truncated = findings.size() > MAX_FINDINGS || walk.truncated || inserted.size() >= MAX_FINDINGS;
        if (findings.size() > MAX_FINDINGS) {
            findings = findings.subList(0, MAX_FINDINGS);
        }
        VerificationReport.Head head = walk.lastPosition == 0 ? null
                : new VerificationReport.Head(walk.lastIndex, walk.lastPosition, HashChain.hex(walk.previous));
        return new VerificationReport(findings.isEmpty(), walk.lastPosition, pending == null ? 0 : pending, head,
                findings.isEmpty() ? null : findings.get(0), findings, truncated);
    }

    /**
     * Checks each link against the previous recorded one. Continuing from the recorded link (rather
     * than from our own recomputation) after a mismatch keeps one altered row from turning every
     * later link into a finding; a clean walk is the same as recomputing from the genesis link.
     */
    private static final class Walk {
        private final LongConsumer progress;
        private final HashChain.Linker linker = new HashChain.Linker();
        private final List<VerificationReport.Finding> findings = new ArrayList<>();
        private boolean truncated;
        private byte[] previous = HashChain.GENESIS;
        private long lastPosition;
        private long lastIndex;
        private long maxLinkedIndex;

        Walk(LongConsumer progress) {
            this.progress = progress;
        }

        void step(long position, long index, byte[] recorded, StoredEvent event) {
            if (position != lastPosition + 1) {
                add(new VerificationReport.Finding(index, VerificationReport.DELETED, "links at positions "
                        + (lastPosition + 1) + ".." + (position - 1) + " are missing, with the events they named"));
            }
            if (event == null) {
                add(new VerificationReport.Finding(index, VerificationReport.DELETED,
                        "the event was linked at position " + position + " and is gone"));
            } else if (!MessageDigest.isEqual(linker.link(previous, event), recorded)) {
                add(new VerificationReport.Finding(index, VerificationReport.ALTERED,
                        "the event no longer matches its link at position " + position));
            }
            previous = recorded;
            lastPosition = position;
            lastIndex = index;
            maxLinkedIndex = Math.max(maxLinkedIndex, index);
            if (position % PROGRESS_EVERY == 0) {
                progress.accept(position);
            }
        }

        private void add(VerificationReport.Finding finding) {
            if (findings.size() < MAX_FINDINGS) {
                findings.add(finding);
            } else {
                truncated = true;
            }
        }
    }
}
