package dev.rdeportal.domain;

/**
 * A refusal the caller must see, with its stable code. Thrown by command handlers and by command
 * constructors; mapped to problem+json in one place. Messages name the resource and the reason but
 * never a secret.
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;

    public DomainException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static DomainException invalid(String message) {
        return new DomainException(ErrorCode.VALIDATION_FAILED, message);
    }

    /** Unknown and not-yours look the same to the caller. */
    public static DomainException notFound(String kind, String id) {
        return new DomainException(ErrorCode.NOT_FOUND, kind + " " + id + " not found");
    }

    public static DomainException conflict(String message) {
        return new DomainException(ErrorCode.STATE_CONFLICT, message);
    }
}
