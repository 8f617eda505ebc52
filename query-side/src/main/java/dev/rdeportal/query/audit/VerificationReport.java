package dev.rdeportal.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code GET /api/v1/audit/verify} answers.
 *
 * @param intact          no finding at all
 * @param checked         links recomputed
 * @param pending         events above the chain head, not linked yet (the processor is behind)
 * @param head            the last link, to compare with a head anchored earlier; null for no chain
 * @param firstDivergence the finding with the lowest sequence, null when intact
 * @param truncated       more findings exist than are listed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record VerificationReport(boolean intact, long checked, long pending, Head head, Finding firstDivergence,
                          List<Finding> findings, boolean truncated) {

    static final String ALTERED = "altered";
    static final String DELETED = "deleted";
    static final String INSERTED = "inserted";

    VerificationReport {
        findings = List.copyOf(findings);
    }

    /** @param kind {@value #ALTERED}, {@value #DELETED} or {@value #INSERTED} */
    record Finding(long sequence, String kind, String detail) {
    }

    /** @param sequence the global index of the last linked event */
    record Head(long sequence, long position, String link) {
    }
}
