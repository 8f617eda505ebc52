package dev.rdeportal.query.audit;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
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
 * <p>Linked per batch, not per event: the handler only notes the event's identifier and token
 * position in the processor's unit of work (one unit of work, one transaction, per batch of
 * events); before that transaction commits, the batch's rows are read with one primary-key range
 * query, linked in arrival order after the last recorded link, and written with one JDBC batch. The links and the token still commit
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
     * tracking token's position alone: for an event that fills a gap the token's position is the
     * highest index seen, not this event's. The positions only narrow the read to a range of the
     * primary key (see {@link #link(List, long, long)}). Outside a unit of work the event is linked at once.
     */
    @EventHandler(payloadType = Object.class)
    void on(@MessageIdentifier String eventIdentifier, TrackingToken token) {
        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
        if (!CurrentUnitOfWork.isStarted()) {
            link(List.of(eventIdentifier), position.orElse(0), position.orElse(-1));
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        Pending pending = unitOfWork.getOrComputeResource(PENDING, key -> {
            Pending batch = new Pending();
            unitOfWork.onPrepareCommit(u -> link(batch.ids, batch.low, batch.high));
            return batch;
        });
        pending.ids.add(eventIdentifier);
        if (position.isPresent()) {
            pending.low = Math.min(pending.low, position.getAsLong());
            pending.high = Math.max(pending.high, position.getAsLong());
        }
    }

    /** An event delivered without a tracking token (direct calls). */
    void on(String eventIdentifier) {
        on(eventIdentifier, null);
    }

    /**
     * Appends the links of these events, in this order, after the last one. An event linked before
     * (or twice in the list) is left alone; an identifier with no stored row (an event published
     * outside the store, none today) has nothing to link.
     *
     * @param low  lowest token position among the events, high the highest (low > high: none known).
     *             The rows are read by primary-key range [low, high] first; only events not found
     *             there (one that filled a gap lies below its token's position) are looked up by
     *             identifier, which costs an index probe per event.
     */
    void link(List<String> eventIdentifiers, long low, long high) {
        if (eventIdentifiers.isEmpty()) {
            return;
        }
        List<Last> last = jdbc.query("SELECT position, link FROM audit_chain ORDER BY position DESC LIMIT 1",
                (rs, n) -> new Last(rs.getLong("position"), HashChain.unhex(rs.getString("link"))));
        long position = last.isEmpty() ? 0 : last.get(0).position();
        byte[] previous = last.isEmpty() ? HashChain.GENESIS : last.get(0).link();
        Map<String, StoredEvent> rows = new HashMap<>(eventIdentifiers.size() * 2);
        if (low <= high) {
            Set<String> wanted = new HashSet<>(eventIdentifiers);
            jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement("SELECT " + StoredEvent.COLUMNS
                        + " FROM domain_event_entry e WHERE e.global_index >= ? AND e.global_index <= ?");
                statement.setFetchSize(CHUNK);
                statement.setLong(1, low);
                statement.setLong(2, high);
                return statement;
            }, rs -> {
                if (wanted.contains(rs.getString("event_identifier"))) {
                    StoredEvent event = StoredEvent.read(rs);
                    rows.put(event.eventIdentifier(), event);
                }
            });
        }
        List<String> missing = eventIdentifiers.stream().filter(id -> !rows.containsKey(id)).distinct().toList();
        for (int from = 0; from < missing.size(); from += CHUNK) {
            rows.putAll(rowsById(missing.subList(from, Math.min(missing.size(), from + CHUNK))));
        }
        if (rows.isEmpty()) {
            return;
        }
        long lowest = rows.values().stream().mapToLong(StoredEvent::globalIndex).min().orElseThrow();
        long highest = rows.values().stream().mapToLong(StoredEvent::globalIndex).max().orElseThrow();
        Set<Long> linked = new HashSet<>(jdbc.queryForList(
                "SELECT global_index FROM audit_chain WHERE global_index >= ? AND global_index <= ?",
                Long.class, lowest, highest));
        List<Object[]> links = new ArrayList<>(eventIdentifiers.size());
        HashChain.Linker linker = new HashChain.Linker();
        for (String id : eventIdentifiers) {
            StoredEvent event = rows.get(id);
            if (event == null || !linked.add(event.globalIndex())) {
                continue;
            }
            previous = linker.link(previous, event);
            position++;
            links.add(new Object[] {event.globalIndex(), position, HashChain.hex(previous)});
        }
        for (int from = 0; from < links.size(); from += CHUNK) {
            jdbc.batchUpdate("INSERT INTO audit_chain (global_index, position, link) VALUES (?, ?, ?)",
                    links.subList(from, Math.min(links.size(), from + CHUNK)));
        }
    }

    /** The stored rows of these events, by identifier. */
    private Map<String, StoredEvent> rowsById(List<String> ids) {
        String sql = "SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry e WHERE e.event_identifier IN ("
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
            rows.put(event.eventIdentifier(), event);
        });
        return rows;
    }

    /** The events of one unit of work, in arrival order, and the range of their token positions. */
    private static final class Pending {
        private final List<String> ids = new ArrayList<>();
        private long low = Long.MAX_VALUE;
        private long high = Long.MIN_VALUE;
    }

    private record Last(long position, byte[] link) {
    }
}
