package dev.rdeportal.query.audit;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of {@code domain_event_entry} exactly as stored: the chain hashes these bytes, not a
 * re-serialisation, so that what is verified is what is on disk. Arrays are shared, not copied:
 * rows live for the duration of one visit.
 *
 * @param type the aggregate type; null for events published without an aggregate (connections)
 */
record StoredEvent(long globalIndex, String eventIdentifier, String aggregateIdentifier, long sequenceNumber,
                   String payloadType, String payloadRevision, String timeStamp, String type, byte[] payload,
                   byte[] metaData) {

    static final String COLUMNS = "e.global_index, e.event_identifier, e.aggregate_identifier, e.sequence_number, "
            + "e.payload_type, e.payload_revision, e.time_stamp, e.type, e.payload, e.meta_data";

    /** Reads the {@link #COLUMNS}; the global index is passed in, as a join may carry it elsewhere. */
    static StoredEvent read(ResultSet rs, long globalIndex) throws SQLException {
        return new StoredEvent(globalIndex,
                rs.getString("event_identifier"),
                rs.getString("aggregate_identifier"),
                rs.getLong("sequence_number"),
                rs.getString("payload_type"),
                rs.getString("payload_revision"),
                rs.getString("time_stamp"),
                rs.getString("type"),
                rs.getBytes("payload"),
                rs.getBytes("meta_data"));
    }

    static StoredEvent read(ResultSet rs) throws SQLException {
        return read(rs, rs.getLong("global_index"));
    }
}
