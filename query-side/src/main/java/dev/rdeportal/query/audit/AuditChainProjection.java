package dev.rdeportal.query.audit;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records the audit chain: one link per stored event, in the order the events reach this
 * processor. It must run as one segment on one thread (Axon's default for a processor without
 * configuration): each link depends on the one before. Links are written through the portal's
 * {@link JdbcTemplate}, so a link and the processor's token commit together.
 *
 * <p>Linked per batch, not per event: the handler only notes the event's identifier in the
 * processor's unit of work (one unit of work, one transaction, per batch of events); before that
 * transaction commits, the batch's rows are read in one query, linked in arrival order after the
 * last recorded link, and written with one JDBC batch. The links and the token still commit
 * together, and a batch that fails rolls back whole. The handler takes no payload, so Axon never
 * deserializes the events it links: the chain hashes the stored bytes, read again from the table.
 *
 * <p>Never replayed (see {@code package-info}): a reset would re-derive the chain from whatever
 * the event table holds now, erasing the evidence of any alteration.
 */
@Component
@ProcessingGroup(AuditChainProjection.PROCESSING_GROUP)
@DisallowReplay
class AuditChainProjection {

    static final String PROCESSING_GROUP = "audit-chain";

    /** Rows read and links written per statement; a larger batch is split into chunks this big. */
    static final int CHUNK = 1000;

    private static final String PENDING = AuditChainProjection.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    AuditChainProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every event, whatever its type. The row is found by event identifier rather than by the
     * tracking token's position: for an event that fills a gap the token's position is the highest
     * index seen, not this event's. Outside a unit of work (direct calls) the event is linked at once.
     */
    @EventHandler(payloadType = Object.class)
    void on(@MessageIdentifier String eventIdentifier) {
        if (!CurrentUnitOfWork.isStarted()) {
            link(List.of(eventIdentifier));
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<String> pending = unitOfWork.getOrComputeResource(PENDING, key -> {
            List<String> ids = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> link(ids));
            return ids;
        });
        pending.add(eventIdentifier);
    }

    /**
     * Appends the links of these events, in this order, after the last one. An event linked before
     * (or twice in the list) is left alone; an identifier with no stored row (an event published
     * outside the store, none today) has nothing to link.
     */
    void link(List<String> eventIdentifiers) {
        if (eventIdentifiers.isEmpty()) {
            return;
        }
        List<Last> last = jdbc.query("SELECT position, link FROM audit_chain ORDER BY position DESC LIMIT 1",
                (rs, n) -> new Last(rs.getLong("position"), HashChain.unhex(rs.getString("link"))));
        long position = last.isEmpty() ? 0 : last.get(0).position();
        byte[] previous = last.isEmpty() ? HashChain.GENESIS : last.get(0).link();
        Set<Long> linked = new HashSet<>();
        for (int from = 0; from < eventIdentifiers.size(); from += CHUNK) {
            List<String> chunk = eventIdentifiers.subList(from, Math.min(eventIdentifiers.size(), from + CHUNK));
            Map<String, StoredEvent> rows = rows(chunk, linked);
            List<Object[]> links = new ArrayList<>(chunk.size());
            for (String id : chunk) {
                StoredEvent event = rows.get(id);
                if (event == null || !linked.add(event.globalIndex())) {
                    continue;
                }
                previous = HashChain.link(previous, event);
                position++;
                links.add(new Object[] {event.globalIndex(), position, HashChain.hex(previous)});
            }
            if (!links.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO audit_chain (global_index, position, link) VALUES (?, ?, ?)", links);
            }
        }
    }

    /** The stored rows of these events by identifier; adds to {@code linked} those that already have a link. */
    private Map<String, StoredEvent> rows(List<String> ids, Set<Long> linked) {
        String sql = "SELECT " + StoredEvent.COLUMNS + ", c.global_index AS linked_index FROM domain_event_entry e "
                + "LEFT JOIN audit_chain c ON c.global_index = e.global_index WHERE e.event_identifier IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Map<String, StoredEvent> rows = new HashMap<>(ids.size() * 2);
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            statement.setFetchSize(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                statement.setString(i + 1, ids.get(i));
            }
            return statement;
        }, rs -> {
            StoredEvent event = StoredEvent.read(rs);
            rs.getLong("linked_index");
            if (!rs.wasNull()) {
                linked.add(event.globalIndex());
            }
            rows.put(event.eventIdentifier(), event);
        });
        return rows;
    }

    private record Last(long position, byte[] link) {
    }
}
