package dev.rdeportal.query.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Moves {@code TIMESTAMP WITH TIME ZONE} values in and out of the database. The four drivers we
 * run on (JDBC and R2DBC, each for H2 and PostgreSQL) disagree on what an untyped read hands back:
 * {@link OffsetDateTime}, {@link Timestamp}, {@link Instant} or, depending on version and
 * column declaration, a zone-less {@link LocalDateTime}. Reads therefore accept every one of them;
 * writes always bind an {@link OffsetDateTime} in UTC, which all four accept.
 */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime toColumn(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A column value as an instant; a zone-less value is taken as UTC, the zone everything is written in. */
    public static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp column value: " + value.getClass().getName());
    }
}
