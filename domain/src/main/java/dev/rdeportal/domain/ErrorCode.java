package dev.rdeportal.domain;

/** Stable error codes of the public API (API.md): clients branch on these, never on messages. */
public enum ErrorCode {
    VALIDATION_FAILED("validation-failed", 400),
    MALFORMED_REQUEST("malformed-request", 400),
    UNAUTHENTICATED("unauthenticated", 401),
    FORBIDDEN("forbidden", 403),
    /** The client's address is refused by the firewall's rules. */
    FIREWALL_BLOCKED("firewall-blocked", 403),
    /** Authenticated, but not a member of this portal: ask an admin for an invitation. */
    NOT_A_MEMBER("not-a-member", 403),
    NOT_FOUND("not-found", 404),
    STATE_CONFLICT("state-conflict", 409),
    CONCURRENT_MODIFICATION("concurrent-modification", 409),
    WORKSPACE_LIMIT_REACHED("workspace-limit-reached", 409),
    /** Removing or demoting the last admin would leave nobody able to manage the portal. */
    LAST_ADMIN("last-admin", 409),
    /** A publish request was approved or rejected already: a review is single-use. */
    ALREADY_REVIEWED("already-reviewed", 409),
    /** An admin may not review their own publish request. */
    SELF_REVIEW("self-review", 403),
    /**
     * An approval was refused because the requester may no longer use the workspace's blueprint
     * (its ACL changed, or they left); the request stays PENDING and the refusal is recorded.
     */
    REQUESTER_ACCESS_REVOKED("requester-access-revoked", 409),
    RATE_LIMITED("rate-limited", 429),
    UNAVAILABLE("unavailable", 503),
    /** A one-time ticket (terminal, preview) that is unknown, spent, expired or for something else. */
    TICKET_INVALID("ticket-invalid", 403),
    /** A preview origin was visited without a valid preview cookie: get a new ticket from the portal. */
    PREVIEW_SESSION_REQUIRED("preview-session-required", 401),
    /** The app behind a preview could not be reached (nothing listening on the port, connection reset). */
    APP_UNREACHABLE("app-unreachable", 502),
    INTERNAL("internal-error", 500);

    private final String code;
    private final int status;

    ErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
