package dev.rdeportal.query.audit;

import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records the audit chain: one link per stored event, in the order the events reach this
 * processor. It must run as one segment on one thread (Axon's default for a processor without
 * configuration): each link depends on the one before. Links are written through the portal's
 * {@link JdbcTemplate}, so a link and the processor's token commit together.
 *
 * <p>Never replayed (see {@code package-info}): a reset would re-derive the chain from whatever
 * the event table holds now, erasing the evidence of any alteration.
 */
@Component
@ProcessingGroup(AuditChainProjection.PROCESSING_GROUP)
@DisallowReplay
class AuditChainProjection {

    static final String PROCESSING_GROUP = "audit-chain";

    private final JdbcTemplate jdbc;

    AuditChainProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every event, whatever its type. The row is found by event identifier rather than by the
     * tracking token's position: for an event that fills a gap the token's position is the highest
     * index seen, not this event's.
     */
    @EventHandler
    void on(Object event, @MessageIdentifier String eventIdentifier) {
        List<StoredEvent> rows = jdbc.query("SELECT " + StoredEvent.COLUMNS
                + " FROM domain_event_entry e WHERE e.event_identifier = ?", (rs, n) -> StoredEvent.read(rs),
                eventIdentifier);
        if (rows.isEmpty()) {
            // Events published outside the store (none today) have nothing to link.
            return;
        }
        link(rows.get(0));
    }

    /** Appends the link of {@code event} after the last one; an event linked before is left alone. */
    void link(StoredEvent event) {
        Integer linked = jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain WHERE global_index = ?",
                Integer.class, event.globalIndex());
        if (linked != null && linked > 0) {
            return;
        }
        List<Last> last = jdbc.query("SELECT position, link FROM audit_chain ORDER BY position DESC LIMIT 1",
                (rs, n) -> new Last(rs.getLong("position"), HashChain.unhex(rs.getString("link"))));
        long position = last.isEmpty() ? 1 : last.get(0).position() + 1;
        byte[] previous = last.isEmpty() ? HashChain.GENESIS : last.get(0).link();
        jdbc.update("INSERT INTO audit_chain (global_index, position, link) VALUES (?, ?, ?)",
                event.globalIndex(), position, HashChain.hex(HashChain.link(previous, event)));
    }

    private record Last(long position, byte[] link) {
    }
}
