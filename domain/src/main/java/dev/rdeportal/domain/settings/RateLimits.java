package dev.rdeportal.domain.settings;

/**
 * How many calls one client may make per minute. Every call counts, accepted or refused.
 *
 * @param launchesPerMinute workspace launches ({@code POST /api/v1/workspaces}) per user
 * @param requestsPerMinute {@code /api/v1} calls per user, and separately per client address
 */
public record RateLimits(int launchesPerMinute, int requestsPerMinute) {

    public static final int MIN = 1;
    public static final int MAX = 100_000;
    /** Until an admin saves settings (and unless configuration says otherwise). */
    public static final RateLimits DEFAULT = new RateLimits(5, 200);
}
