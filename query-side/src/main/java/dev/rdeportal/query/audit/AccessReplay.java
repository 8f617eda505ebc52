package dev.rdeportal.query.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
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
    /** Null without upcasters: rows are then read straight, without Axon's upcasting stream. */
    private final EventUpcaster upcasters;

    @Autowired
    AccessReplay(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer,
                 ObjectProvider<EventUpcaster> upcasters) {
        this(jdbc, serializer, upcasters.orderedStream().toList());
    }

    AccessReplay(JdbcTemplate jdbc, Serializer serializer, List<EventUpcaster> upcasters) {
        this(jdbc, serializer, upcasters.isEmpty() ? null : new EventUpcasterChain(upcasters));
    }

    /** @param upcasters null for none */
    AccessReplay(JdbcTemplate jdbc, Serializer serializer, EventUpcaster upcasters) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.upcasters = upcasters;
    }

    /** The access picture at {@code at}; {@code workspace} narrows it to one workspace when not null. */
    AccessReport at(Instant at, String workspace) {
        AccessState state = new AccessState();
        long[] last = {Long.MIN_VALUE, 0, 0}; // last global index, events read, unreadable
        String time = DateTimeUtils.formatInstant(at);
        if (upcasters != null) {
            String sql = "SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry e WHERE e.time_stamp <= ? "
                    + "AND e.global_index > ? ORDER BY e.global_index LIMIT ?";
            // time_stamp is Axon's fixed-width ISO text (milliseconds, UTC), which sorts in time order.
            KeysetScan.scan(jdbc, sql, List.of(time), "global_index", AuditLog.START, rs -> {
                StoredEvent row = StoredEvent.read(rs);
                last[0] = row.globalIndex();
                last[1]++;
                if (!fold(state, row)) {
                    last[2]++;
                }
                return true;
            });
        } else {
            // Without upcasters a stored type is the type read: the payloads of types the fold
            // ignores are not even sent by the database, and nothing goes through Axon's stream.
            List<String> handled = state.handledTypes().stream().sorted().toList();
            String sql = "SELECT e.global_index, e.time_stamp, e.payload_type, e.payload_revision, "
                    + "CASE WHEN e.payload_type IN (" + String.join(", ", Collections.nCopies(handled.size(), "?"))
                    + ") THEN e.payload END AS payload FROM domain_event_entry e WHERE e.time_stamp <= ? "
                    + "AND e.global_index > ? ORDER BY e.global_index LIMIT ?";
            List<Object> args = new ArrayList<>(handled);
            args.add(time);
            KeysetScan.scan(jdbc, sql, args, "global_index", AuditLog.START, rs -> {
                last[0] = rs.getLong(1);
                last[1]++;
                byte[] payload = rs.getBytes(5);
                if (payload != null && !fold(state, last[0], rs.getString(2), rs.getString(3), rs.getString(4), payload)) {
                    last[2]++;
                }
                return true;
            });
        }
        return state.answer(at, last[1] == 0 ? null : last[0], last[2], workspace);
    }

    /** Applies one row read without upcasting; false when it could not be read. */
    private boolean fold(AccessState state, long globalIndex, String timeStamp, String payloadType,
                         String payloadRevision, byte[] payload) {
        try {
            Instant time = Instant.parse(timeStamp);
            state.apply(serializer.deserialize(
                    new SimpleSerializedObject<>(payload, byte[].class, payloadType, payloadRevision)), time);
            return true;
        } catch (RuntimeException e) {
            log.warn("event {} ({}) could not be read for the access replay: {}", globalIndex, payloadType,
                    e.getClass().getSimpleName());
            return false;
        }
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
