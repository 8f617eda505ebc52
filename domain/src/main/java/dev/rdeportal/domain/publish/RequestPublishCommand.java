package dev.rdeportal.domain.publish;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.Validation;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The owner of a running workspace asks to publish the app on {@code port}. The API has checked the
 * workspace (owner, RUNNING, a port of its blueprint) and asked the organisation whether the
 * requester is trusted and the blueprint whether they may still use it: {@code autoApprove} is
 * both. Answers the {@link PublishRequest}.
 */
public record RequestPublishCommand(
        @TargetAggregateIdentifier String requestId,
        String workspaceId,
        String workspaceName,
        String clusterId,
        String blueprintId,
        String requester,
        int port,
        String note,
        String startCommand,
        String publishName,
        boolean autoApprove,
        String operationId,
        Instant at) {

    public static final int MAX_NOTE = 1000;
    /** The comment of an approval given at once to a trusted requester. */
    public static final String AUTO_APPROVAL_COMMENT = "approved at once: the requester is trusted";

    public RequestPublishCommand {
        Validation.id("requestId", requestId);
        Validation.id("workspaceId", workspaceId);
        Validation.required("requester", requester);
        Validation.range("port", port, 1, 65535);
        note = note == null ? "" : note.strip();
        if (note.length() > MAX_NOTE) {
            throw DomainException.invalid("note must be at most " + MAX_NOTE + " characters");
        }
        if (startCommand == null || startCommand.isBlank()) {
            throw DomainException.invalid("workspace " + workspaceId + " has no start command; a published app needs one");
        }
        if (at == null) {
            throw new IllegalArgumentException("at is required");
        }
    }
}
