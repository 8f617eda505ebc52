package dev.rdeportal.domain.publish;

/** Where a publish request stands (API.md "PublishRequest"). */
public enum PublishStatus {
    PENDING, APPROVED, REJECTED, PUBLISHED, FAILED;

    /** Reviewed one way or the other: a second review is refused. */
    public boolean reviewed() {
        return this != PENDING;
    }
}
