package dev.rdeportal.query.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Every list the API answers: {@code {items: [...], next: cursor|null}} (API.md). {@code next} is
 * written even when null, whatever inclusion the application's serializer defaults to, because
 * clients test for it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ListResponse<T>(List<T> items, String next) {

    public ListResponse {
        items = List.copyOf(items);
    }

    public static <T> ListResponse<T> complete(List<T> items) {
        return new ListResponse<>(items, null);
    }
}
