package dev.rdeportal.query.audit;

import static dev.rdeportal.query.audit.EventStoreRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.query.support.ReadModelDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The chain on H2: linked by the processor's handler as events arrive, then rows altered, deleted
 * and inserted behind the event store's back, as someone with database access would.
 */
class ChainVerifierTest {

    private final JdbcTemplate jdbc = ReadModelDatabase.create().jdbc();
    private final AuditChainProjection projection = new AuditChainProjection(jdbc);
    private final ChainVerifier verifier = new ChainVerifier(jdbc);
    private final List<Long> events = new ArrayList<>();

    @BeforeEach
    void history() {
        EventStoreRows.createTable(jdbc);
        for (int i = 0; i < 10; i++) {
            long index = EventStoreRows.append(jdbc, "w" + i, 0, "WorkspaceLaunchedEvent",
                    EventStoreRows.launched("w" + i, "dev" + i), "ann@example.com", T0.plusSeconds(i));
            events.add(index);
            deliver(index);
        }
    }

    @Test
    void anUntouchedHistoryIsIntact() {
        VerificationReport report = verifier.verify();

        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(10);
        assertThat(report.firstDivergence()).isNull();
        assertThat(report.head().sequence()).isEqualTo(events.get(9));
        assertThat(report.head().link()).isEqualTo(verifier.recordedHead().orElseThrow().link());
    }

    @Test
    void anAlteredPayloadIsNamed() {
        jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?",
                EventStoreRows.launched("w3", "innocent").getBytes(StandardCharsets.UTF_8), events.get(3));

        VerificationReport report = verifier.verify();

        assertThat(report.intact()).isFalse();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.sequence()).isEqualTo(events.get(3));
            assertThat(f.kind()).isEqualTo("altered");
        });
    }

    @Test
    void anAlteredActorOrTimeIsNamed() {
        jdbc.update("UPDATE domain_event_entry SET meta_data = ? WHERE global_index = ?",
                "{\"actor\":\"system\"}".getBytes(StandardCharsets.UTF_8), events.get(5));
        jdbc.update("UPDATE domain_event_entry SET time_stamp = '2024-01-01T00:00:00.000Z' WHERE global_index = ?",
                events.get(7));

        assertThat(verifier.verify().findings()).extracting(VerificationReport.Finding::sequence,
                VerificationReport.Finding::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(events.get(5), "altered"),
                org.assertj.core.groups.Tuple.tuple(events.get(7), "altered"));
    }

    @Test
    void aDeletedEventIsNamed() {
        jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", events.get(4));

        VerificationReport report = verifier.verify();

        assertThat(report.firstDivergence()).isEqualTo(report.findings().get(0));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.sequence()).isEqualTo(events.get(4));
            assertThat(f.kind()).isEqualTo("deleted");
        });
    }

    @Test
    void anEventInsertedBelowTheHeadIsNamed() {
        // A free global index between two linked events, as if it had always been there.
        jdbc.update("UPDATE domain_event_entry SET global_index = global_index + 100 WHERE global_index > ?",
                events.get(9) - 1);
        jdbc.update("UPDATE audit_chain SET global_index = global_index + 100 WHERE global_index > ?",
                events.get(9) - 1);
        long forged = events.get(9);
        EventStoreRows.insert(jdbc, forged, "w-forged", 0, "Workspace",
                "dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent", EventStoreRows.launched("w-forged", "x"),
                "ann@example.com", T0.plusSeconds(9));

        VerificationReport report = verifier.verify();

        assertThat(report.findings()).extracting(VerificationReport.Finding::kind).contains("inserted");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("inserted")).singleElement()
                .satisfies(f -> assertThat(f.sequence()).isEqualTo(forged));
    }

    @Test
    void alteredDeletedAndInsertedRowsAreEachNamedFirstOneFirst() {
        jdbc.update("UPDATE domain_event_entry SET payload_type = 'x.WorkspaceDeletedEvent' WHERE global_index = ?",
                events.get(6));
        jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", events.get(2));
        long forged = events.get(9) + 1000;
        EventStoreRows.insert(jdbc, forged, "w-forged", 0, "Workspace", "x.WorkspaceLaunchedEvent", "{}",
                "ann@example.com", T0);
        // The forged row is above the head: the processor would link it like any new event. One
        // below the head is what it can never link:
        jdbc.update("DELETE FROM audit_chain WHERE global_index = ?", events.get(8));
        jdbc.update("UPDATE audit_chain SET position = position - 1 WHERE global_index > ?", events.get(8));

        VerificationReport report = verifier.verify();

        assertThat(report.firstDivergence().sequence()).isEqualTo(events.get(2));
        assertThat(report.findings()).extracting(VerificationReport.Finding::kind)
                .contains("deleted", "altered", "inserted");
        assertThat(report.pending()).as("the row above the head is not linked yet").isEqualTo(1);
    }

    @Test
    void aGapThatNeverHadALinkIsNotADeletion() {
        long gap = events.get(9) + 5;
        long after = EventStoreRows.insert(jdbc, gap, "w-late", 0, "Workspace", "x.WorkspaceLaunchedEvent", "{}",
                "ann@example.com", T0);
        deliver(after);

        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void anEventFillingAGapLateIsLinkedWhenItArrivesAndVerifies() {
        long late = events.get(9) + 1;
        long next = EventStoreRows.insert(jdbc, late + 1, "w-next", 0, "Workspace", "x.A", "{}", "ann@example.com", T0);
        deliver(next);
        EventStoreRows.insert(jdbc, late, "w-late", 0, "Workspace", "x.B", "{}", "ann@example.com", T0);
        deliver(late);
        deliver(late); // redelivered after a crash: no second link

        VerificationReport report = verifier.verify();

        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(12);
        assertThat(report.head().sequence()).as("the last linked, not the highest").isEqualTo(late);
    }

    @Test
    void aBatchIsLinkedWhenItsUnitOfWorkCommitsAsOneDeliveredEventAtATimeWouldBe() {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long index = EventStoreRows.append(jdbc, "b" + i, 0, "WorkspaceLaunchedEvent",
                    EventStoreRows.launched("b" + i, "batch" + i), "ann@example.com", T0.plusSeconds(20 + i));
            batch.add(EventStoreRows.read(jdbc, index).eventIdentifier());
        }
        String alreadyLinked = EventStoreRows.read(jdbc, events.get(9)).eventIdentifier();
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        for (String id : batch) {
            projection.on(id);
        }
        projection.on(batch.get(2)); // redelivered within the batch
        projection.on(alreadyLinked); // linked by an earlier batch
        projection.on("no-such-event");

        assertThat(count()).as("nothing written before the commit").isEqualTo(10);
        unitOfWork.commit();

        assertThat(count()).isEqualTo(15);
        VerificationReport report = verifier.verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(15);
        assertThat(jdbc.queryForList("SELECT c.position FROM audit_chain c JOIN domain_event_entry e "
                + "ON e.global_index = c.global_index WHERE e.aggregate_identifier LIKE 'b%' ORDER BY e.global_index",
                Long.class)).as("in arrival order, after the last link").containsExactly(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void aBatchIsReadByTheRangeOfItsTokenPositionsAndAGapFillerBelowItByIdentifier() {
        long a = EventStoreRows.append(jdbc, "t-a", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("t-a", "a"),
                "ann@example.com", T0.plusSeconds(40));
        long b = EventStoreRows.append(jdbc, "t-b", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("t-b", "b"),
                "ann@example.com", T0.plusSeconds(41));
        long c = EventStoreRows.append(jdbc, "t-c", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("t-c", "c"),
                "ann@example.com", T0.plusSeconds(42));
        DefaultUnitOfWork<?> first = DefaultUnitOfWork.startAndGet(null);
        projection.on(EventStoreRows.read(jdbc, a).eventIdentifier(), GapAwareTrackingToken.newInstance(a, Set.of()));
        projection.on(EventStoreRows.read(jdbc, c).eventIdentifier(), GapAwareTrackingToken.newInstance(c, Set.of(b)));
        first.commit();
        // b's transaction committed late: it arrives in the next batch with the highest position seen, c's.
        DefaultUnitOfWork<?> second = DefaultUnitOfWork.startAndGet(null);
        projection.on(EventStoreRows.read(jdbc, b).eventIdentifier(), GapAwareTrackingToken.newInstance(c, Set.of()));
        second.commit();

        assertThat(verifier.verify().intact()).isTrue();
        assertThat(jdbc.queryForList("SELECT global_index FROM audit_chain WHERE position > 10 ORDER BY position",
                Long.class)).as("linked in arrival order").containsExactly(a, c, b);
    }

    @Test
    void aBatchWhoseUnitOfWorkRollsBackLeavesNoLink() {
        long index = EventStoreRows.append(jdbc, "r", 0, "WorkspaceLaunchedEvent", EventStoreRows.launched("r", "x"),
                "ann@example.com", T0.plusSeconds(30));
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        projection.on(EventStoreRows.read(jdbc, index).eventIdentifier());
        unitOfWork.rollback();

        assertThat(count()).isEqualTo(10);
        deliver(index);
        assertThat(verifier.verify().intact()).isTrue();
        assertThat(count()).isEqualTo(11);
    }

    private long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class);
    }

    private void deliver(long index) {
        projection.on(EventStoreRows.read(jdbc, index).eventIdentifier());
    }
}
