package dev.rdeportal.command.publish;

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
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishRequestAggregateTest {

    static final String ID = "pr-1";
    static final String ALICE = "alice@example.com";
    static final String ADA = "ada@example.com";
    static final String BEN = "ben@example.com";
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-29T10:05:00Z");
    static final String NAME = "demo-1";

    static final PublishRequestedEvent REQUESTED = new PublishRequestedEvent(ID, "ws-1", "demo", "local", "bp-1", ALICE,
            8000, "first release", "python3 -m http.server $PORT", NAME, T0);
    static final PublishRequestApprovedEvent APPROVED = approved(ADA, "ship it", false, T1, "op-1");

    static PublishRequestApprovedEvent approved(String reviewer, String comment, boolean auto, Instant at, String op) {
        return new PublishRequestApprovedEvent(ID, reviewer, comment, auto, at, op, "local", "ws-1", NAME, 8000,
                "python3 -m http.server $PORT");
    }

    static RequestPublishCommand request(boolean autoApprove) {
        return new RequestPublishCommand(ID, "ws-1", "demo", "local", "bp-1", ALICE, 8000, " first release ",
                "python3 -m http.server $PORT", NAME, autoApprove, "op-1", T0);
    }

    AggregateTestFixture<PublishRequestAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PublishRequestAggregate.class);
    }

    @Test
    void aRequestOfAnUntrustedUserWaitsForReview() {
        fixture.givenNoPriorActivity()
                .when(request(false))
                .expectEvents(REQUESTED);
    }

    @Test
    void aTrustedRequesterIsApprovedAtOnceWithoutReviewer() {
        fixture.givenNoPriorActivity()
                .when(request(true))
                .expectEvents(REQUESTED, approved(null, RequestPublishCommand.AUTO_APPROVAL_COMMENT, true, T0, "op-1"));
    }

    @Test
    void anAdminApprovesWithAComment() {
        fixture.given(REQUESTED)
                .when(new ApprovePublishRequestCommand(ID, ADA, " ship it ", null, "op-1", T1))
                .expectEvents(APPROVED)
                .expectResultMessagePayload(new PublishReview(new PublishRequest(ID, "ws-1", "demo", ALICE, 8000,
                        "first release", PublishStatus.APPROVED, ADA, "ship it", T0, T1, false, null, null), null));
    }

    @Test
    void anAdminRejectsWithAComment() {
        fixture.given(REQUESTED)
                .when(new RejectPublishRequestCommand(ID, ADA, "not yet", T1))
                .expectEvents(new PublishRequestRejectedEvent(ID, ADA, "not yet", T1))
                .expectResultMessagePayload(new PublishRequest(ID, "ws-1", "demo", ALICE, 8000, "first release",
                        PublishStatus.REJECTED, ADA, "not yet", T0, T1, false, null, null));
    }

    @Test
    void aReviewedRequestCannotBeReviewedAgain() {
        fixture.given(REQUESTED, APPROVED)
                .when(new ApprovePublishRequestCommand(ID, BEN, "again", null, "op-2", T1))
                .expectNoEvents()
                .expectException(code(ErrorCode.ALREADY_REVIEWED));
        fixture.given(REQUESTED, APPROVED)
                .when(new RejectPublishRequestCommand(ID, BEN, "too late", T1))
                .expectNoEvents()
                .expectException(code(ErrorCode.ALREADY_REVIEWED));
        fixture.given(REQUESTED, new PublishRequestRejectedEvent(ID, ADA, "no", T1))
                .when(new ApprovePublishRequestCommand(ID, BEN, "yes", null, "op-2", T1))
                .expectNoEvents()
                .expectException(code(ErrorCode.ALREADY_REVIEWED));
        fixture.given(REQUESTED, approved(null, RequestPublishCommand.AUTO_APPROVAL_COMMENT, true, T0, "op-1"))
                .when(new RejectPublishRequestCommand(ID, ADA, "no", T1))
                .expectException(code(ErrorCode.ALREADY_REVIEWED));
        fixture.given(REQUESTED, APPROVED)
                .when(new PreparePublishReviewCommand(ID, BEN))
                .expectException(code(ErrorCode.ALREADY_REVIEWED));
    }

    @Test
    void aRequesterCannotReviewTheirOwnRequest() {
        fixture.given(REQUESTED)
                .when(new ApprovePublishRequestCommand(ID, ALICE, "mine", null, "op-1", T1))
                .expectNoEvents()
                .expectException(code(ErrorCode.SELF_REVIEW));
        fixture.given(REQUESTED)
                .when(new RejectPublishRequestCommand(ID, ALICE, "mine", T1))
                .expectNoEvents()
                .expectException(code(ErrorCode.SELF_REVIEW));
        fixture.given(REQUESTED)
                .when(new PreparePublishReviewCommand(ID, ALICE))
                .expectException(code(ErrorCode.SELF_REVIEW));
    }

    @Test
    void preparingAReviewAnswersWhatToRecheckAndRecordsNothing() {
        fixture.given(REQUESTED)
                .when(new PreparePublishReviewCommand(ID, ADA))
                .expectNoEvents()
                .expectResultMessagePayload(new PublishReviewSubject(ID, ALICE, "bp-1"));
    }

    @Test
    void anApprovalForARequesterWhoLostAccessIsRefusedRecordedAndLeavesTheRequestPending() {
        String why = ALICE + " may no longer use blueprint bp-1";
        fixture.given(REQUESTED)
                .when(new ApprovePublishRequestCommand(ID, ADA, "ok", why, "op-1", T1))
                .expectEvents(new PublishApprovalRefusedEvent(ID, ADA, "ok", why, T1))
                .expectResultMessagePayload(new PublishReview(new PublishRequest(ID, "ws-1", "demo", ALICE, 8000,
                        "first release", PublishStatus.PENDING, null, null, T0, null, false, null, why), why));
        // Still reviewable: the refusal spent nothing.
        fixture.given(REQUESTED, new PublishApprovalRefusedEvent(ID, ADA, "ok", why, T1))
                .when(new RejectPublishRequestCommand(ID, ADA, "no access", T1))
                .expectEvents(new PublishRequestRejectedEvent(ID, ADA, "no access", T1));
    }

    @Test
    void theAgentsAnswerToThePublishOperationPublishesOrFails() {
        fixture.given(REQUESTED, APPROVED)
                .when(new CompletePublishOperationCommand(ID, "op-1", "http://demo-1--pub.preview.localhost:8080"))
                .expectEvents(new PublishRequestPublishedEvent(ID, "op-1", "http://demo-1--pub.preview.localhost:8080"));
        fixture.given(REQUESTED, APPROVED)
                .when(new FailPublishOperationCommand(ID, "op-1", "no such workspace"))
                .expectEvents(new PublishRequestFailedEvent(ID, "op-1", "publish failed: no such workspace"));
    }

    @Test
    void anAnswerForAnotherOperationOrAfterTheOutcomeChangesNothing() {
        fixture.given(REQUESTED, APPROVED)
                .when(new CompletePublishOperationCommand(ID, "op-other", "http://x"))
                .expectNoEvents();
        fixture.given(REQUESTED)
                .when(new CompletePublishOperationCommand(ID, "op-1", "http://x"))
                .expectNoEvents();
        fixture.given(REQUESTED, APPROVED, new PublishRequestPublishedEvent(ID, "op-1", "http://x"))
                .when(new FailPublishOperationCommand(ID, "op-1", "deadline"))
                .expectNoEvents();
    }

    static final PublishRequestPublishedEvent PUBLISHED = new PublishRequestPublishedEvent(ID, "op-1", "http://demo-1");
    static final PublishRequestUnpublishingEvent UNPUBLISHING = new PublishRequestUnpublishingEvent(ID, ALICE, T1, "op-2",
            "local", "ws-1", NAME);

    @Test
    void theRequesterOrAnAdminUnpublishesAPublishedApp() {
        fixture.given(REQUESTED, APPROVED, PUBLISHED)
                .when(new UnpublishCommand(ID, ALICE, false, "op-2", T1))
                .expectEvents(UNPUBLISHING)
                .expectResultMessagePayload(new PublishRequest(ID, "ws-1", "demo", ALICE, 8000, "first release",
                        PublishStatus.UNPUBLISHING, ADA, "ship it", T0, T1, false, "http://demo-1", null));
        fixture.given(REQUESTED, APPROVED, PUBLISHED)
                .when(new UnpublishCommand(ID, BEN, true, "op-2", T1))
                .expectEvents(new PublishRequestUnpublishingEvent(ID, BEN, T1, "op-2", "local", "ws-1", NAME));
    }

    @Test
    void anotherMemberCannotUnpublishAndLearnsNothing() {
        fixture.given(REQUESTED, APPROVED, PUBLISHED)
                .when(new UnpublishCommand(ID, BEN, false, "op-2", T1))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    @Test
    void onlyAPublishedAppOrAFailedPublishCanBeUnpublished() {
        fixture.given(REQUESTED)
                .when(new UnpublishCommand(ID, ALICE, false, "op-2", T1))
                .expectException(code(ErrorCode.STATE_CONFLICT));
        fixture.given(REQUESTED, APPROVED)
                .when(new UnpublishCommand(ID, ALICE, false, "op-2", T1))
                .expectException(code(ErrorCode.STATE_CONFLICT));
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING)
                .when(new UnpublishCommand(ID, ALICE, false, "op-3", T1))
                .expectException(code(ErrorCode.STATE_CONFLICT));
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING, new PublishRequestUnpublishedEvent(ID, "op-2"))
                .when(new UnpublishCommand(ID, ALICE, false, "op-3", T1))
                .expectException(code(ErrorCode.STATE_CONFLICT));
        fixture.given(REQUESTED, APPROVED, new PublishRequestFailedEvent(ID, "op-1", "publish failed: no app"))
                .when(new UnpublishCommand(ID, ALICE, false, "op-2", T1))
                .expectEvents(UNPUBLISHING);
    }

    @Test
    void theAgentsAnswerToTheUnpublishRemovesTheAppOrRestoresWhereItWas() {
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING)
                .when(new CompleteUnpublishOperationCommand(ID, "op-2"))
                .expectEvents(new PublishRequestUnpublishedEvent(ID, "op-2"));
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING)
                .when(new FailUnpublishOperationCommand(ID, "op-2", "deadline"))
                .expectEvents(new PublishRequestUnpublishFailedEvent(ID, "op-2", "unpublish failed: deadline",
                        PublishStatus.PUBLISHED));
        fixture.given(REQUESTED, APPROVED, new PublishRequestFailedEvent(ID, "op-1", "x"), UNPUBLISHING)
                .when(new FailUnpublishOperationCommand(ID, "op-2", " "))
                .expectEvents(new PublishRequestUnpublishFailedEvent(ID, "op-2",
                        "unpublish failed: the agent gave no reason", PublishStatus.FAILED));
        // After a failed removal it may be tried again.
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING, new PublishRequestUnpublishFailedEvent(ID, "op-2",
                        "unpublish failed: deadline", PublishStatus.PUBLISHED))
                .when(new UnpublishCommand(ID, ALICE, false, "op-3", T1))
                .expectEvents(new PublishRequestUnpublishingEvent(ID, ALICE, T1, "op-3", "local", "ws-1", NAME));
    }

    @Test
    void anUnpublishAnswerForAnotherOperationOrAfterTheOutcomeChangesNothing() {
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING)
                .when(new CompleteUnpublishOperationCommand(ID, "op-1"))
                .expectNoEvents();
        fixture.given(REQUESTED, APPROVED, PUBLISHED)
                .when(new CompleteUnpublishOperationCommand(ID, "op-1"))
                .expectNoEvents();
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING, new PublishRequestUnpublishedEvent(ID, "op-2"))
                .when(new FailUnpublishOperationCommand(ID, "op-2", "deadline"))
                .expectNoEvents();
        // A late answer to the publish changes nothing once it is being taken down.
        fixture.given(REQUESTED, APPROVED, PUBLISHED, UNPUBLISHING)
                .when(new FailPublishOperationCommand(ID, "op-1", "deadline"))
                .expectNoEvents();
    }

    @Test
    void aRequestWithoutStartCommandOrWithALongNoteIsInvalid() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RequestPublishCommand(ID, "ws-1", "demo", "local",
                        "bp-1", ALICE, 8000, "", " ", NAME, false, "op-1", T0))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo(ErrorCode.VALIDATION_FAILED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RequestPublishCommand(ID, "ws-1", "demo", "local",
                        "bp-1", ALICE, 8000, "x".repeat(1001), "run", NAME, false, "op-1", T0))
                .isInstanceOf(DomainException.class);
    }

    static Matcher<DomainException> code(ErrorCode code) {
        return new FeatureMatcher<>(Matchers.equalTo(code), "error code", "code") {
            @Override
            protected ErrorCode featureValueOf(DomainException actual) {
                return actual.code();
            }
        };
    }
}
