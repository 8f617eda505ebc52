package dev.rdeportal.query.support;

import dev.rdeportal.domain.DomainException;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging as the API's lists do it: a {@code limit} parameter, and a page read with one row
 * more than asked, whose presence says there is a next page after the last row shown.
 */
public final class Pages {

    private Pages() {
    }

    /** The {@code limit} parameter: {@code fallback} when absent, else 1 to {@code max}. */
    public static int limit(String raw, int fallback, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DomainException.invalid("limit must be between 1 and " + max);
    }

    /**
     * A page of at most {@code pageSize} of {@code rows} (read with {@code pageSize + 1}), with the
     * cursor of its last row as {@code next} when more follow.
     */
    public static <R, T> ListResponse<T> of(List<R> rows, int pageSize, Function<R, String> cursorOf,
                                            Function<R, T> shown) {
        boolean more = rows.size() > pageSize;
        List<R> page = more ? rows.subList(0, pageSize) : rows;
        return new ListResponse<>(page.stream().map(shown).toList(), more ? cursorOf.apply(page.get(page.size() - 1)) : null);
    }
}
