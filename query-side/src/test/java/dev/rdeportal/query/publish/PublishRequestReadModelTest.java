package dev.rdeportal.query.publish;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.publish.FindPendingPublishOperationsQuery;
import dev.rdeportal.domain.publish.FindPublishRequestQuery;
import dev.rdeportal.domain.publish.FindPublishedAppQuery;
import dev.rdeportal.domain.publish.PublishApprovalRefusedEvent;
import dev.rdeportal.domain.publish.PublishRequestApprovedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestRejectedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishRequestedEvent;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The publish request read model from event to JSON: projection, query handler and endpoints. */
@SuppressWarnings("unchecked")
class PublishRequestReadModelTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123456Z");
    private static final String ALICE = "alice@example.com";

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final PublishRequestProjection projection = new PublishRequestProjection(db.jdbc());
    private final PublishRequestReadRepository repository = new PublishRequestReadRepository(db.r2dbc());
    private final PublishRequestQueryHandler handler = new PublishRequestQueryHandler(repository);
    private final WebTestClient client = WebTestClient.bindToController(new PublishRequestQueryController(repository))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @BeforeEach
    void workspace() {
        db.jdbc().update("INSERT INTO workspace_view (id, name, blueprint_id, cluster_id, owner, status, spec_json, created_at, updated_at) "
                + "VALUES ('ws-1', 'shop', 'bp-1', 'local', ?, 'RUNNING', '{}', ?, ?)", ALICE,
                java.sql.Timestamp.from(T0), java.sql.Timestamp.from(T0));
    }

    private static PublishRequestedEvent requested(String id, int second) {
        return new PublishRequestedEvent(id, "ws-1", "shop", "local", "bp-1", ALICE, 8000, "note " + id, "run",
                "shop-" + id, T0.plusSeconds(second));
    }

    @Test
    void eachStepOfTheReviewIsShownAndEventsHandledTwiceLeaveTheSameRow() throws Exception {
        var requested = requested("pr-1", 0);
        var approved = new PublishRequestApprovedEvent("pr-1", "ada@example.com", "ship it", false, T0.plusSeconds(5),
                "op-1", "local", "ws-1", "shop-pr-1", 8000, "run");
        projection.on(requested);
        projection.on(new PublishApprovalRefusedEvent("pr-1", "ada@example.com", "go", "alice may no longer use bp-1",
                T0.plusSeconds(2)));
        PublishRequestView refused = handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(refused.status()).isEqualTo(PublishStatus.PENDING);
        assertThat(refused.reason()).isEqualTo("alice may no longer use bp-1");

        projection.on(approved);
        projection.on(approved);
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("local")).get(5, TimeUnit.SECONDS))
                .extracting(PublishRequestView::operationId).containsExactly("op-1");
        assertThat(handler.handle(new FindPublishedAppQuery("shop-pr-1")).get(5, TimeUnit.SECONDS)).isPresent();

        projection.on(new PublishRequestPublishedEvent("pr-1", "op-1", "http://shop-pr-1--pub.preview.localhost:8080"));
        PublishRequestView done = handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(done).isEqualTo(new PublishRequestView("pr-1", "ws-1", "shop", "local", "bp-1", ALICE, 8000, "note pr-1",
                "run", "shop-pr-1", PublishStatus.PUBLISHED, "ada@example.com", "ship it", T0, T0.plusSeconds(5), false,
                "op-1", "http://shop-pr-1--pub.preview.localhost:8080", null));
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("local")).get(5, TimeUnit.SECONDS)).isEmpty();

        projection.on(requested);
        assertThat(handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow().status())
                .isEqualTo(PublishStatus.PENDING);
    }

    @Test
    void anUnpublishIsPendingUntilTheAgentAnswersAndAFailedOneRestoresTheStatus() throws Exception {
        projection.on(requested("pr-1", 0));
        projection.on(new PublishRequestApprovedEvent("pr-1", "ada@example.com", "ok", false, T0.plusSeconds(5),
                "op-1", "local", "ws-1", "shop-pr-1", 8000, "run"));
        projection.on(new PublishRequestPublishedEvent("pr-1", "op-1", "http://shop-pr-1--pub.preview.localhost:8080"));

        var unpublishing = new PublishRequestUnpublishingEvent("pr-1", ALICE, T0.plusSeconds(9), "op-2", "local", "ws-1",
                "shop-pr-1");
        projection.on(unpublishing);
        projection.on(unpublishing);
        PublishRequestView pending = handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(pending.status()).isEqualTo(PublishStatus.UNPUBLISHING);
        assertThat(pending.operationId()).isEqualTo("op-2");
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("local")).get(5, TimeUnit.SECONDS))
                .extracting(PublishRequestView::status, PublishRequestView::operationId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PublishStatus.UNPUBLISHING, "op-2"));
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("other")).get(5, TimeUnit.SECONDS)).isEmpty();

        projection.on(new PublishRequestUnpublishFailedEvent("pr-1", "op-2", "unpublish failed: busy", PublishStatus.PUBLISHED));
        PublishRequestView back = handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(back.status()).isEqualTo(PublishStatus.PUBLISHED);
        assertThat(back.reason()).isEqualTo("unpublish failed: busy");
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("local")).get(5, TimeUnit.SECONDS)).isEmpty();

        projection.on(new PublishRequestUnpublishingEvent("pr-1", ALICE, T0.plusSeconds(20), "op-3", "local", "ws-1",
                "shop-pr-1"));
        projection.on(new PublishRequestUnpublishedEvent("pr-1", "op-3"));
        PublishRequestView gone = handler.handle(new FindPublishRequestQuery("pr-1")).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(gone.status()).isEqualTo(PublishStatus.UNPUBLISHED);
        assertThat(gone.reason()).isNull();
        assertThat(handler.handle(new FindPendingPublishOperationsQuery("local")).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat((List<?>) admin("/api/v1/publish-requests?status=UNPUBLISHED").get("items")).hasSize(1);
    }

    @Test
    void theAdminListFiltersByStatusNewestFirstInPages() {
        for (int i = 1; i <= 3; i++) {
            projection.on(requested("pr-" + i, i));
        }
        projection.on(new PublishRequestRejectedEvent("pr-2", "ada@example.com", "no", T0.plusSeconds(9)));
        projection.on(new PublishRequestApprovedEvent("pr-3", null, "trusted", true, T0.plusSeconds(3), "op-3", "local",
                "ws-1", "shop-pr-3", 8000, "run"));
        projection.on(new PublishRequestFailedEvent("pr-3", "op-3", "publish failed: boom"));

        Map<String, Object> first = admin("/api/v1/publish-requests?limit=2");
        assertThat((List<Map<String, Object>>) first.get("items")).extracting(i -> i.get("id")).containsExactly("pr-3", "pr-2");
        Map<String, Object> second = admin("/api/v1/publish-requests?limit=2&cursor=" + first.get("next"));
        assertThat((List<Map<String, Object>>) second.get("items")).extracting(i -> i.get("id")).containsExactly("pr-1");
        assertThat(second.get("next")).isNull();

        Map<String, Object> failed = admin("/api/v1/publish-requests?status=failed");
        Map<String, Object> item = ((List<Map<String, Object>>) failed.get("items")).get(0);
        assertThat(item).containsEntry("id", "pr-3").containsEntry("status", "FAILED").containsEntry("autoApproved", true)
                .containsEntry("reason", "publish failed: boom").containsEntry("reviewer", null).containsKey("url")
                .containsKeys("workspaceId", "workspaceName", "requester", "port", "note", "comment", "requestedAt",
                        "reviewedAt");
        assertThat((List<?>) admin("/api/v1/publish-requests?status=REJECTED").get("items")).hasSize(1);

        client.get().uri("/api/v1/publish-requests?status=DONE").header(USER_HEADER, "ada@example.com")
                .header(ADMIN_HEADER, "true").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/publish-requests?cursor=nonsense").header(USER_HEADER, "ada@example.com")
                .header(ADMIN_HEADER, "true").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/publish-requests").header(USER_HEADER, ALICE).exchange().expectStatus().isForbidden();
    }

    @Test
    void aWorkspacesRequestsAreForItsOwnerOnly() {
        projection.on(requested("pr-1", 1));

        client.get().uri("/api/v1/workspaces/ws-1/publish-requests").header(USER_HEADER, ALICE).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[0].id").isEqualTo("pr-1")
                .jsonPath("$.items[0].status").isEqualTo("PENDING")
                .jsonPath("$.next").doesNotExist();
        client.get().uri("/api/v1/workspaces/ws-1/publish-requests").header(USER_HEADER, "bob@example.com").exchange()
                .expectStatus().isNotFound();
        client.get().uri("/api/v1/workspaces/ws-2/publish-requests").header(USER_HEADER, ALICE).exchange()
                .expectStatus().isNotFound();
    }

    private Map<String, Object> admin(String uri) {
        return client.get().uri(uri).header(USER_HEADER, "ada@example.com").header(ADMIN_HEADER, "true").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
