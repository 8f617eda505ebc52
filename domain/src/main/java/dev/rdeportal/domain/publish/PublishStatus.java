package dev.rdeportal.domain.publish;

/**
 * Where a publish request stands (API.md "PublishRequest"). After PUBLISHED (or a FAILED publish),
 * UNPUBLISHING while the agent removes the app, then UNPUBLISHED; a failed removal goes back.
 */
public enum PublishStatus {
    PENDING, APPROVED, REJECTED, PUBLISHED, FAILED, UNPUBLISHING, UNPUBLISHED;

    /** Reviewed one way or the other: a second review is refused. */
    public boolean reviewed() {
        return this != PENDING;
    }

    /** Whether the app may be taken down from here: it runs, or a failed publish may have left parts of it. */
    public boolean unpublishable() {
        return this == PUBLISHED || this == FAILED;
    }
}
