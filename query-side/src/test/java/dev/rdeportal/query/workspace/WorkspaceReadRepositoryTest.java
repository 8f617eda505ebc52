package dev.rdeportal.query.workspace;

import static dev.rdeportal.query.workspace.Workspaces.SPEC;
import static dev.rdeportal.query.workspace.Workspaces.at;
import static dev.rdeportal.query.workspace.Workspaces.launched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;

import dev.rdeportal.domain.workspace.FindClusterWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;

/** Rows written by the JDBC projection, read back through R2DBC from the same database. */
class WorkspaceReadRepositoryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final WorkspaceProjection projection =
            new WorkspaceProjection(db.jdbc(), SimpleQueryUpdateEmitter.builder().build(), new TopologyChanges());
    private final WorkspaceReadRepository repository = new WorkspaceReadRepository(db.r2dbc());
    private final WorkspaceQueryHandler handler = new WorkspaceQueryHandler(repository);

    @Test
    void aWorkspaceReadsBackAsWritten() {
        Instant launchedAt = Instant.parse("2025-03-01T09:00:00.123456Z");
        projection.on(launched("w1", "ann@example.com"), launchedAt, REGULAR);
        projection.on(new WorkspaceRunningEvent("w1", "op-w1-1", Map.of(8080, 31080)), at(2), REGULAR);

        WorkspaceView view = repository.findById("w1").block(TIMEOUT);

        assertThat(view).isNotNull();
        assertThat(view.status()).isEqualTo(WorkspaceStatus.RUNNING);
        assertThat(view.spec()).isEqualTo(SPEC);
        assertThat(view.ports()).isEqualTo(Map.of(8080, 31080));
        assertThat(view.createdAt()).isEqualTo(launchedAt);
        assertThat(view.updatedAt()).isEqualTo(at(2));
    }

    @Test
    void findWorkspaceAnswersEmptyForAnUnknownId() throws Exception {
        projection.on(launched("w1", "ann@example.com"), at(0), REGULAR);

        assertThat(handler.handle(new FindWorkspaceQuery("w1")).get(5, TimeUnit.SECONDS))
                .get().extracting(WorkspaceView::id).isEqualTo("w1");
        assertThat(handler.handle(new FindWorkspaceQuery("nope")).get(5, TimeUnit.SECONDS)).isEqualTo(Optional.empty());
    }

    @Test
    void ownedWorkspacesAreTheOwnersOnlyNewestFirstWithoutDeleted() throws Exception {
        projection.on(launched("a1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("b1", "bob@example.com"), at(1), REGULAR);
        projection.on(launched("a2", "ann@example.com"), at(2), REGULAR);
        projection.on(launched("a3", "ann@example.com"), at(3), REGULAR);
        delete("a2", 4);

        List<WorkspaceView> owned = handler.handle(new FindOwnedWorkspacesQuery("ann@example.com"))
                .get(5, TimeUnit.SECONDS);

        assertThat(owned).extracting(WorkspaceView::id).containsExactly("a3", "a1");
    }

    @Test
    void clusterWorkspacesIncludeDeletedOnesForReconciliation() throws Exception {
        projection.on(launched("a1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("b1", "bob@example.com"), at(1), REGULAR);
        delete("a1", 2);
        projection.on(new WorkspaceLaunchedEvent("x1", "ann@example.com", "ws-x1",
                "bp-java", "other-cluster", SPEC, "op-x1-1"), at(3), REGULAR);

        List<WorkspaceView> onC1 = handler.handle(new FindClusterWorkspacesQuery("c1")).get(5, TimeUnit.SECONDS);

        assertThat(onC1).extracting(WorkspaceView::id, WorkspaceView::status).containsExactly(
                tuple("a1", WorkspaceStatus.DELETED),
                tuple("b1", WorkspaceStatus.PROVISIONING));
    }

    @Test
    void pagingVisitsEveryWorkspaceOnceEvenWhenNewOnesArriveMeanwhile() {
        // a3 and a4 launched in the same instant, with the first page boundary between them: the
        // id must order them, or the second page would skip or repeat one.
        projection.on(launched("a1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("a2", "ann@example.com"), at(1), REGULAR);
        projection.on(launched("a3", "ann@example.com"), at(2), REGULAR);
        projection.on(launched("a4", "ann@example.com"), at(2), REGULAR);
        projection.on(launched("a5", "ann@example.com"), at(3), REGULAR);
        projection.on(launched("b1", "bob@example.com"), at(2), REGULAR);

        List<String> seen = new ArrayList<>();
        WorkspacePage page = repository.findPage("ann@example.com", null, 2).block(TIMEOUT);
        page.items().forEach(v -> seen.add(v.id()));
        // a newer workspace must not push an already-seen one onto the next page
        projection.on(launched("a6", "ann@example.com"), at(9), REGULAR);
        int pages = 1;
        while (page.next() != null) {
            WorkspaceCursor cursor = WorkspaceCursor.decode(page.next().encode());
            page = repository.findPage("ann@example.com", cursor, 2).block(TIMEOUT);
            page.items().forEach(v -> seen.add(v.id()));
            pages++;
        }

        assertThat(seen).containsExactly("a5", "a4", "a3", "a2", "a1");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aPageThatEndsExactlyAtTheLastItemHasNoNext() {
        projection.on(launched("a1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("a2", "ann@example.com"), at(1), REGULAR);

        WorkspacePage page = repository.findPage("ann@example.com", null, 2).block(TIMEOUT);

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isNull();
    }

    @Test
    void withoutAnOwnerThePageHoldsEveryonesLiveWorkspaces() {
        projection.on(launched("a1", "ann@example.com"), at(0), REGULAR);
        projection.on(launched("b1", "bob@example.com"), at(1), REGULAR);
        projection.on(launched("c1", "cem@example.com"), at(2), REGULAR);
        delete("c1", 3);

        WorkspacePage page = repository.findPage(null, null, 50).block(TIMEOUT);

        assertThat(page.items()).extracting(WorkspaceView::id).containsExactly("b1", "a1");
        assertThat(page.next()).isNull();
    }

    private void delete(String id, int minute) {
        projection.on(new WorkspaceDeleteRequestedEvent(id, "someone", "op-" + id + "-d", null), at(minute), REGULAR);
        projection.on(new WorkspaceDeletedEvent(id, "op-" + id + "-d"), at(minute), REGULAR);
    }
}
