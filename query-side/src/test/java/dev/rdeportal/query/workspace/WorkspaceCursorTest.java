package dev.rdeportal.query.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceCursorTest {

    @Test
    void aCursorSurvivesTheRoundTripThroughAUrl() {
        WorkspaceCursor cursor = new WorkspaceCursor(Instant.parse("2025-03-01T09:00:00.123456Z"), "w-1.a_b");

        String encoded = cursor.encode();

        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(WorkspaceCursor.decode(encoded)).isEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "bm90LWEtY3Vyc29y", "MjAyNS0wMy0wMVQwOTowMDowMFoK"})
    void anythingElseIsAValidationFailure(String cursor) {
        assertThatThrownBy(() -> WorkspaceCursor.decode(cursor))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }

    @Test
    void aCursorWithAnUnparseableTimeIsAValidationFailure() {
        String cursor = Base64.getUrlEncoder().encodeToString("yesterday\nw1".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> WorkspaceCursor.decode(cursor)).isInstanceOf(DomainException.class);
    }
}
