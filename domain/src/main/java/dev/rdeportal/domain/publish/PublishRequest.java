package dev.rdeportal.domain.publish;

import java.time.Instant;

/**
 * A publish request as the API shows it (API.md "Shapes": the field names are fixed).
 *
 * @param reviewer     the admin who approved or rejected it; null while PENDING and when
 *                     {@code autoApproved}
 * @param url          where members reach the published app; set once PUBLISHED
 * @param reason       why it FAILED, or why the last approval was refused; else null
 */
public record PublishRequest(
        String id,
        String workspaceId,
        String workspaceName,
        String requester,
        int port,
        String note,
        PublishStatus status,
        String reviewer,
        String comment,
        Instant requestedAt,
        Instant reviewedAt,
        boolean autoApproved,
        String url,
        String reason) {
}
