package dev.rdeportal.domain;

/** Stable error codes of the public API (API.md): clients branch on these, never on messages. */
public enum ErrorCode {
    VALIDATION_FAILED("validation-failed", 400),
    MALFORMED_REQUEST("malformed-request", 400),
    UNAUTHENTICATED("unauthenticated", 401),
    FORBIDDEN("forbidden", 403),
    /** The client's address is refused by the firewall's rules. */
    FIREWALL_BLOCKED("firewall-blocked", 403),
    NOT_FOUND("not-found", 404),
    STATE_CONFLICT("state-conflict", 409),
    CONCURRENT_MODIFICATION("concurrent-modification", 409),
    WORKSPACE_LIMIT_REACHED("workspace-limit-reached", 409),
    RATE_LIMITED("rate-limited", 429),
    UNAVAILABLE("unavailable", 503),
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
