package dev.rdeportal.query.audit;

import static dev.rdeportal.query.audit.EventStoreRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.query.support.ReadModelDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk catch-up on H2 (the portal's PostgreSQL path is in {@code AuditPostgresTest}): its links
 * must be the ones the processor's handler writes, and the token it leaves must let the processor go
 * on without losing or repeating an event.
 */
class AuditChainCatchUpTest {

    private static final String NAME = AuditChainProjection.PROCESSING_GROUP;

    private final JdbcTemplate jdbc = ReadModelDatabase.create().jdbc();
    private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(jdbc.getDataSource());
    private final JdbcTokenStore tokens = tokenStore("this-node");
    private final AuditChainProjection projection = new AuditChainProjection(jdbc);
    private final ChainVerifier verifier = new ChainVerifier(jdbc);

    @BeforeEach
    void tables() {
        EventStoreRows.createTable(jdbc);
        jdbc.execute("CREATE TABLE token_entry (processor_name VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, "
                + "token BYTEA, token_type VARCHAR(255), time_stamp VARCHAR(255), owner VARCHAR(255), "
                + "PRIMARY KEY (processor_name, segment))");
    }

    @Test
    void aBacklogIsLinkedExactlyAsTheProcessorLinksIt() {
        List<Long> events = append(1_500);

        long linked = catchUp(1, 600).run();

        assertThat(linked).isEqualTo(1_500);
        List<String> bulk = links();
        jdbc.update("DELETE FROM audit_chain");
        for (long index : events) {
            projection.link(List.of(eventId(index)), index, index);
        }
        assertThat(bulk).as("the processor's chain, link for link").isEqualTo(links());
        VerificationReport report = verifier.verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(1_500);
        assertThat(token()).isEqualTo(GapAwareTrackingToken.newInstance(events.get(1_499), List.of()));
        assertThat(jdbc.queryForObject("SELECT owner FROM token_entry", String.class))
                .as("the claim is released for the processor").isNull();
    }

    @Test
    void itGoesOnFromTheProcessorsTokenAndLastLink() {
        List<Long> first = append(10);
        for (long index : first) {
            projection.link(List.of(eventId(index)), index, index);
        }
        tokens.initializeTokenSegments(NAME, 1, GapAwareTrackingToken.newInstance(first.get(9), List.of()));
        List<Long> later = append(1_200);

        assertThat(catchUp(100, 500).run()).isEqualTo(1_200);

        assertThat(verifier.verify().intact()).isTrue();
        assertThat(verifier.verify().checked()).isEqualTo(1_210);
        assertThat(jdbc.queryForObject("SELECT MAX(position) FROM audit_chain", Long.class)).isEqualTo(1_210);
        assertThat(token().position()).hasValue(later.get(1_199));
    }

    @Test
    void missingIndexesNearTheEndStayGapsForTheProcessor() {
        append(100);
        long last = 0;
        for (long index = 105; index <= 400; index++) {
            last = EventStoreRows.insert(jdbc, index, "w" + index, 0, "Workspace",
                    "dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent", EventStoreRows.launched("w" + index, "n"),
                    "ann@example.com", T0);
        }

        assertThat(catchUp(1, 1_000).run()).isEqualTo(396);

        GapAwareTrackingToken token = (GapAwareTrackingToken) token();
        assertThat(token.getIndex()).isEqualTo(last);
        assertThat(token.getGaps()).as("101..104 may still commit").containsExactly(101L, 102L, 103L, 104L);
        // One of them commits after all: the processor, given it, links it after the others.
        long late = EventStoreRows.insert(jdbc, 102L, "w-late", 0, "Workspace",
                "dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent", EventStoreRows.launched("w-late", "n"),
                "ann@example.com", T0);
        projection.link(List.of(eventId(late)), last, last);
        assertThat(verifier.verify().intact()).isTrue();
        assertThat(verifier.verify().checked()).isEqualTo(397);
    }

    @Test
    void gapsFurtherBackThanAxonWaitsAreNotKept() {
        append(10);
        EventStoreRows.insert(jdbc, 30_000L, "w-far", 0, "Workspace",
                "dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent", EventStoreRows.launched("w-far", "n"),
                "ann@example.com", T0);

        catchUp(1, 100_000).run();

        GapAwareTrackingToken token = (GapAwareTrackingToken) token();
        assertThat(token.getGaps()).hasSize(AuditChainCatchUp.MAX_GAP_OFFSET)
                .containsExactlyElementsOf(LongStream.range(30_000 - AuditChainCatchUp.MAX_GAP_OFFSET, 30_000)
                        .boxed().toList());
    }

    @Test
    void aSmallBacklogIsLeftToTheProcessor() {
        append(20);

        assertThat(catchUp(21, 1_000).run()).isZero();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class)).isZero();
        assertThat(token()).as("a fresh token: the processor starts from the first event").isNull();
    }

    @Test
    void aTokenClaimedByAnotherNodeIsLeftAlone() {
        append(50);
        JdbcTokenStore other = tokenStore("other-node");
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
            other.initializeTokenSegments(NAME, 1, null);
            other.fetchToken(NAME, 0);
        });

        assertThat(catchUp(1, 1_000).run()).isZero();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT owner FROM token_entry", String.class)).isEqualTo("other-node");
    }

    @Test
    void aTokenWithGapsIsLeftToTheProcessor() {
        append(50);
        tokens.initializeTokenSegments(NAME, 1, GapAwareTrackingToken.newInstance(10, List.of(5L)));

        assertThat(catchUp(1, 1_000).run()).isZero();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class)).isZero();
    }

    @Test
    void rowsLinkedBeforeAreNotLinkedTwice() {
        List<Long> events = append(30);
        // A chain whose token row was lost: its links are still there.
        for (long index : events.subList(0, 10)) {
            projection.link(List.of(eventId(index)), index, index);
        }

        assertThat(catchUp(1, 7).run()).isEqualTo(20);

        assertThat(verifier.verify().intact()).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class)).isEqualTo(30);
    }

    private AuditChainCatchUp catchUp(long threshold, int chunk) {
        return new AuditChainCatchUp(jdbc, transactions, tokens, NAME, threshold, chunk);
    }

    private JdbcTokenStore tokenStore(String node) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(jdbc.getDataSource()))
                .serializer(JacksonSerializer.defaultSerializer())
                .nodeId(node)
                .schema(TokenSchema.builder().setTokenTable("token_entry").setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment").setTokenColumn("token").setTokenTypeColumn("token_type")
                        .setTimestampColumn("time_stamp").setOwnerColumn("owner").build())
                .build();
    }

    private TrackingToken token() {
        return new TransactionTemplate(transactions).execute(s -> {
            TrackingToken token = tokens.fetchToken(NAME, 0);
            tokens.releaseClaim(NAME, 0);
            return token;
        });
    }

    private List<Long> append(int count) {
        List<Long> indexes = new ArrayList<>();
        long existing = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        for (int i = 0; i < count; i++) {
            String workspace = "w" + (existing + i);
            indexes.add(EventStoreRows.append(jdbc, workspace, 0, "WorkspaceLaunchedEvent",
                    EventStoreRows.launched(workspace, "dev"), "ann@example.com", T0.plusSeconds(i)));
        }
        return indexes;
    }

    private String eventId(long index) {
        return jdbc.queryForObject("SELECT event_identifier FROM domain_event_entry WHERE global_index = ?",
                String.class, index);
    }

    private List<String> links() {
        return jdbc.queryForList("SELECT global_index || ':' || position || ':' || link FROM audit_chain ORDER BY position",
                String.class);
    }
}
