package dev.rdeportal.query.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Rebuilds {@link AccessState} at a past instant from the event table itself, never from the read
 * models (which know only the present). Events are streamed in global order with the
 * {@link KeysetScan}, so memory holds one chunk of rows plus the state; payloads are read with the
 * event serializer after the event upcasters, as the processors read them.
 *
 * <p>"Up to T" means every event whose recorded time is at or before T. Global order and time
 * order can disagree by a little (a transaction that committed late takes a later index with an
 * earlier time); filtering on the time, rather than stopping at the first later event, keeps such
 * an event in the answer it belongs to.
 */
@Component
class AccessReplay {

    private static final Logger log = LoggerFactory.getLogger("rde.audit.access");

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final EventUpcaster upcasters;

    @Autowired
    AccessReplay(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer,
                 ObjectProvider<EventUpcaster> upcasters) {
        this(jdbc, serializer, new EventUpcasterChain(upcasters.orderedStream().toList()));
    }

    AccessReplay(JdbcTemplate jdbc, Serializer serializer, EventUpcaster upcasters) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.upcasters = upcasters;
    }

    /** The access picture at {@code at}; {@code workspace} narrows it to one workspace when not null. */
    AccessReport at(Instant at, String workspace) {
        AccessState state = new AccessState();
        long[] last = {Long.MIN_VALUE, 0, 0}; // last global index, events read, unreadable
        String sql = "SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry e WHERE e.time_stamp <= ? "
                + "AND e.global_index > ? ORDER BY e.global_index LIMIT ?";
        // time_stamp is Axon's fixed-width ISO text (milliseconds, UTC), which sorts in time order.
        KeysetScan.scan(jdbc, sql, List.of(DateTimeUtils.formatInstant(at)), "global_index", AuditLog.START, rs -> {
            StoredEvent row = StoredEvent.read(rs);
            last[0] = row.globalIndex();
            last[1]++;
            if (!fold(state, row)) {
                last[2]++;
            }
            return true;
        });
        return state.answer(at, last[1] == 0 ? null : last[0], last[2], workspace);
    }

    /** Applies one row; false when it could not be read. */
    private boolean fold(AccessState state, StoredEvent row) {
        Instant time;
        try {
            time = Instant.parse(row.timeStamp());
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(row.type(), row.aggregateIdentifier(),
                row.sequenceNumber(), row.eventIdentifier(), row.timeStamp(), row.payloadType(),
                row.payloadRevision(), row.payload(), row.metaData());
        try (Stream<IntermediateEventRepresentation> upcast =
                     upcasters.upcast(Stream.of(new InitialEventRepresentation(entry, serializer)))) {
            for (IntermediateEventRepresentation event : (Iterable<IntermediateEventRepresentation>) upcast::iterator) {
                if (state.handles(event.getType().getName())) {
                    state.apply(serializer.deserialize(event.getData()), time);
                }
            }
            return true;
        } catch (RuntimeException e) {
            // Unreadable, or readable but impossible (a forged row without an email): counted, never
            // a failed answer. Never the payload in the log: it may be anything written into the table.
            log.warn("event {} ({}) could not be read for the access replay: {}", row.globalIndex(),
                    row.payloadType(), e.getClass().getSimpleName());
            return false;
        }
    }
}
