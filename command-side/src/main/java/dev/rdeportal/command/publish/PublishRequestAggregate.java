package dev.rdeportal.command.publish;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.publish.ApprovePublishRequestCommand;
import dev.rdeportal.domain.publish.CompletePublishOperationCommand;
import dev.rdeportal.domain.publish.CompleteUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PreparePublishReviewCommand;
import dev.rdeportal.domain.publish.PublishApprovalRefusedEvent;
import dev.rdeportal.domain.publish.PublishRequest;
import dev.rdeportal.domain.publish.PublishRequestApprovedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestRejectedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent;
import dev.rdeportal.domain.publish.PublishRequestedEvent;
import dev.rdeportal.domain.publish.PublishReview;
import dev.rdeportal.domain.publish.PublishReviewSubject;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.domain.publish.RejectPublishRequestCommand;
import dev.rdeportal.domain.publish.RequestPublishCommand;
import dev.rdeportal.domain.publish.UnpublishCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One request to publish a workspace's app, and its review. The review rules live here, under the
 * aggregate's lock, so they hold under any concurrency: a request is reviewed once (a second
 * approve or reject is 409 {@code already-reviewed}, whichever came first wins), and never by its
 * requester (403 {@code self-review}). After approval it waits for the one publish operation it
 * sent; an answer for any other operation id changes nothing. Its requester or an admin takes the
 * app down again (unpublish), by one more operation awaited the same way.
 */
@Aggregate(type = "PublishRequest")
class PublishRequestAggregate {

    @AggregateIdentifier
    private String id;
    private String workspaceId;
    private String workspaceName;
    private String clusterId;
    private String blueprintId;
    private String requester;
    private int port;
    private String note;
    private String startCommand;
    private String publishName;
    private PublishStatus status;
    private String reviewer;
    private String comment;
    private Instant requestedAt;
    private Instant reviewedAt;
    private boolean autoApproved;
    private String operationId;
    private String url;
    private String reason;
    /** While UNPUBLISHING: where a failed removal goes back to. */
    private PublishStatus beforeUnpublish;

    PublishRequestAggregate() {
        // for Axon
    }

    @CommandHandler
    PublishRequestAggregate(RequestPublishCommand cmd) {
        var requested = apply(new PublishRequestedEvent(cmd.requestId(), cmd.workspaceId(), cmd.workspaceName(),
                cmd.clusterId(), cmd.blueprintId(), cmd.requester(), cmd.port(), cmd.note(), cmd.startCommand(),
                cmd.publishName(), cmd.at()));
        if (cmd.autoApprove()) {
            // In a constructor, state is sourced after it returns: approve once the request is applied.
            requested.andThen(() -> approve(null, RequestPublishCommand.AUTO_APPROVAL_COMMENT, true, cmd.at(),
                    cmd.operationId()));
        }
    }

    @CommandHandler
    PublishReviewSubject handle(PreparePublishReviewCommand cmd) {
        requireReviewable(cmd.reviewer());
        return new PublishReviewSubject(id, requester, blueprintId);
    }

    @CommandHandler
    PublishReview handle(ApprovePublishRequestCommand cmd) {
        requireReviewable(cmd.reviewer());
        if (cmd.refusal() != null) {
            apply(new PublishApprovalRefusedEvent(id, cmd.reviewer(), cmd.comment(), cmd.refusal(), cmd.at()));
            return new PublishReview(view(), cmd.refusal());
        }
        approve(cmd.reviewer(), cmd.comment(), false, cmd.at(), cmd.operationId());
        return new PublishReview(view(), null);
    }

    @CommandHandler
    PublishRequest handle(RejectPublishRequestCommand cmd) {
        requireReviewable(cmd.reviewer());
        apply(new PublishRequestRejectedEvent(id, cmd.reviewer(), cmd.comment(), cmd.at()));
        return view();
    }

    @CommandHandler
    void handle(CompletePublishOperationCommand cmd) {
        if (awaiting(cmd.operationId())) {
            apply(new PublishRequestPublishedEvent(id, cmd.operationId(), cmd.url()));
        }
    }

    @CommandHandler
    void handle(FailPublishOperationCommand cmd) {
        if (awaiting(cmd.operationId())) {
            apply(new PublishRequestFailedEvent(id, cmd.operationId(), "publish failed: " + agentReason(cmd.reason())));
        }
    }

    /**
     * 404 to anyone but the requester and admins, as for an unknown request; 409 unless the app is
     * PUBLISHED or its publish FAILED. The request keeps its url while UNPUBLISHING, for the record.
     */
    @CommandHandler
    PublishRequest handle(UnpublishCommand cmd) {
        if (!cmd.admin() && !Objects.equals(cmd.caller(), requester)) {
            throw DomainException.notFound("publish request", id);
        }
        if (!status.unpublishable()) {
            throw DomainException.conflict("publish request " + id + " is " + status
                    + "; only a PUBLISHED app, or what a FAILED publish left, can be unpublished");
        }
        apply(new PublishRequestUnpublishingEvent(id, cmd.caller(), cmd.at(), cmd.operationId(), clusterId, workspaceId,
                publishName));
        return view();
    }

    @CommandHandler
    void handle(CompleteUnpublishOperationCommand cmd) {
        if (unpublishing(cmd.operationId())) {
            apply(new PublishRequestUnpublishedEvent(id, cmd.operationId()));
        }
    }

    @CommandHandler
    void handle(FailUnpublishOperationCommand cmd) {
        if (unpublishing(cmd.operationId())) {
            apply(new PublishRequestUnpublishFailedEvent(id, cmd.operationId(), "unpublish failed: " + agentReason(cmd.reason()),
                    beforeUnpublish));
        }
    }

    private void approve(String by, String text, boolean auto, Instant at, String operation) {
        apply(new PublishRequestApprovedEvent(id, by, text, auto, at, operation, clusterId, workspaceId, publishName,
                port, startCommand));
    }

    private void requireReviewable(String by) {
        if (status.reviewed()) {
            throw new DomainException(ErrorCode.ALREADY_REVIEWED, "publish request " + id + " was already reviewed ("
                    + status + "); a review is single-use");
        }
        if (Objects.equals(by, requester)) {
            throw new DomainException(ErrorCode.SELF_REVIEW, "publish request " + id
                    + " is your own; another admin must review it");
        }
    }

    private boolean awaiting(String operation) {
        return status == PublishStatus.APPROVED && operationId != null && operationId.equals(operation);
    }

    private static String agentReason(String reason) {
        return reason == null || reason.isBlank() ? "the agent gave no reason" : reason;
    }

    private boolean unpublishing(String operation) {
        return status == PublishStatus.UNPUBLISHING && operationId != null && operationId.equals(operation);
    }

    private PublishRequest view() {
        return new PublishRequest(id, workspaceId, workspaceName, requester, port, note, status, reviewer, comment,
                requestedAt, reviewedAt, autoApproved, url, reason);
    }

    @EventSourcingHandler
    void on(PublishRequestedEvent e) {
        id = e.requestId();
        workspaceId = e.workspaceId();
        workspaceName = e.workspaceName();
        clusterId = e.clusterId();
        blueprintId = e.blueprintId();
        requester = e.requester();
        port = e.port();
        note = e.note();
        startCommand = e.startCommand();
        publishName = e.publishName();
        requestedAt = e.requestedAt();
        status = PublishStatus.PENDING;
    }

    @EventSourcingHandler
    void on(PublishRequestApprovedEvent e) {
        status = PublishStatus.APPROVED;
        reviewer = e.reviewer();
        comment = e.comment();
        reviewedAt = e.reviewedAt();
        autoApproved = e.autoApproved();
        operationId = e.operationId();
        reason = null;
    }

    @EventSourcingHandler
    void on(PublishApprovalRefusedEvent e) {
        reason = e.reason();
    }

    @EventSourcingHandler
    void on(PublishRequestRejectedEvent e) {
        status = PublishStatus.REJECTED;
        reviewer = e.reviewer();
        comment = e.comment();
        reviewedAt = e.reviewedAt();
        reason = null;
    }

    @EventSourcingHandler
    void on(PublishRequestPublishedEvent e) {
        status = PublishStatus.PUBLISHED;
        url = e.url();
    }

    @EventSourcingHandler
    void on(PublishRequestFailedEvent e) {
        status = PublishStatus.FAILED;
        reason = e.reason();
    }

    @EventSourcingHandler
    void on(PublishRequestUnpublishingEvent e) {
        beforeUnpublish = status;
        status = PublishStatus.UNPUBLISHING;
        operationId = e.operationId();
        reason = null;
    }

    @EventSourcingHandler
    void on(PublishRequestUnpublishedEvent e) {
        status = PublishStatus.UNPUBLISHED;
    }

    @EventSourcingHandler
    void on(PublishRequestUnpublishFailedEvent e) {
        status = e.status();
        reason = e.reason();
    }
}
