package dev.rdeportal.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final Instant INSTANT = Instant.parse("2025-03-01T09:00:00.123456Z");

    @Test
    void everyShapeADriverReturnsIsTheSameInstant() {
        assertThat(Timestamps.toInstant(INSTANT)).isEqualTo(INSTANT);
        assertThat(Timestamps.toInstant(OffsetDateTime.parse("2025-03-01T10:00:00.123456+01:00"))).isEqualTo(INSTANT);
        assertThat(Timestamps.toInstant(INSTANT.atZone(ZoneOffset.ofHours(-5)))).isEqualTo(INSTANT);
        assertThat(Timestamps.toInstant(LocalDateTime.parse("2025-03-01T09:00:00.123456"))).isEqualTo(INSTANT);
        assertThat(Timestamps.toInstant(Timestamp.from(INSTANT))).isEqualTo(INSTANT);
        assertThat(Timestamps.toInstant(null)).isNull();
    }

    @Test
    void anythingElseIsAnError() {
        assertThatThrownBy(() -> Timestamps.toInstant("2025-03-01")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesAreUtc() {
        assertThat(Timestamps.toColumn(INSTANT)).isEqualTo(OffsetDateTime.of(2025, 3, 1, 9, 0, 0, 123_456_000,
                ZoneOffset.UTC));
    }
}
