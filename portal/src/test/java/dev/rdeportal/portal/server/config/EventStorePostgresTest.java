package dev.rdeportal.portal.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import dev.rdeportal.portal.support.TestDatabase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The event store on real PostgreSQL, as configured for production: a duplicate (aggregate,
 * sequence) is a concurrency conflict — never a silent success — and events round-trip through
 * the Jackson serializer with their metadata.
 */
class EventStorePostgresTest {

    static HikariDataSource dataSource;
    static EventStorageEngine engine;

    @BeforeAll
    static void setUp() {
        TestDatabase.Database db = TestDatabase.create();
        dataSource = new DatabaseConfiguration().dataSource(new DatabaseProperties(db.url(), db.user(), db.password(), 4));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        AxonConfiguration axon = new AxonConfiguration();
        var transactions = axon.axonTransactionManager(new DataSourceTransactionManager(dataSource));
        engine = axon.eventStorageEngine(axon.axonConnectionProvider(dataSource), transactions, axon.serializer(),
                axon.persistenceExceptionResolver(), new org.springframework.beans.factory.support.StaticListableBeanFactory()
                        .getBeanProvider(org.axonframework.serialization.upcasting.event.EventUpcaster.class));
    }

    @AfterAll
    static void tearDown() {
        dataSource.close();
    }

    static GenericDomainEventMessage<WorkspaceStoppedEvent> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Workspace", aggregate, sequence,
                new WorkspaceStoppedEvent(aggregate, "op-" + sequence, "because"),
                MetaData.with("actor", "alice@example.com").and("clientIp", "127.0.0.1"));
    }

    @Test
    void duplicateSequenceIsAConcurrencyConflict() {
        engine.appendEvents(event("ws-a", 0), event("ws-a", 1));
        assertThatThrownBy(() -> engine.appendEvents(event("ws-a", 1)))
                .isInstanceOf(ConcurrencyException.class);
        assertThatThrownBy(() -> engine.appendEvents(event("ws-a", 0)))
                .isInstanceOf(AggregateStreamCreationException.class);
        assertThat(engine.readEvents("ws-a").asStream().count()).isEqualTo(2);
    }

    @Test
    void twoConcurrentWritersOfTheSameSequenceExactlyOneWins() {
        engine.appendEvents(event("ws-b", 0));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> writers = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
                engine.appendEvents(event("ws-b", 1));
                return true;
            } catch (ConcurrencyException conflict) {
                return false;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        go.countDown();
        assertThat(writers.stream().map(CompletableFuture::join)).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void eventsRoundTripWithTheirMetadata() {
        engine.appendEvents(event("ws-c", 0));
        var read = engine.readEvents("ws-c").asStream().toList();
        assertThat(read).hasSize(1);
        assertThat(read.get(0).getPayload()).isEqualTo(new WorkspaceStoppedEvent("ws-c", "op-0", "because"));
        assertThat(read.get(0).getMetaData()).containsEntry("actor", "alice@example.com");
    }
}
