package dev.rdeportal.portal.server.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rdeportal.domain.MetaDataKeys;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.SimpleDeadlineManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.GenericSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Axon on JDBC, declared by hand: Axon's JDBC auto-configuration does not trigger on Boot 4.
 *
 * <ul>
 *   <li>Jackson everywhere (events, sagas, tokens, messages) — never XStream;</li>
 *   <li>a persistence exception resolver, so a duplicate (aggregate, sequence) surfaces as a
 *       concurrency conflict rather than a silent success or an opaque SQL error;</li>
 *   <li>event metadata: actor and client IP flow from each command to the events it causes;
 *       {@code correlationId} is the root message of a chain, {@code causationId} the message that
 *       directly caused this one.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    /** Axon's own mapper (Jackson 2); the web layer uses Boot's Jackson 3 separately. */
    static ObjectMapper axonObjectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Sagas keep their state in private fields without accessors; transient fields (injected
        // resources) are skipped.
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return mapper;
    }

    @Bean
    @Primary
    @Qualifier("serializer")
    Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(axonObjectMapper()).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateKeyResolver();
    }

    /**
     * Every {@link EventUpcaster} bean, in order, upcasts what the engine reads; the audit's access
     * replay reads the table itself and applies the same beans, so both see one history.
     */
    @Bean
    EventStorageEngine eventStorageEngine(ConnectionProvider connections, TransactionManager transactions,
                                          Serializer serializer, PersistenceExceptionResolver resolver,
                                          ObjectProvider<EventUpcaster> upcasters) {
        return JdbcEventStorageEngine.builder()
                .upcasterChain(new EventUpcasterChain(upcasters.orderedStream().toList()))
                .connectionProvider(connections)
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(resolver)
                .schema(eventSchema())
                .batchSize(EVENT_FETCH_SIZE)
                .build();
    }

    static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connections, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("time_stamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connections, Serializer serializer) {
        SagaSchema schema = new SagaSchema.Builder()
                .sagaEntryTable("saga_entry")
                .associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build();
        return JdbcSagaStore.builder()
                .connectionProvider(connections)
                .sqlSchema(new GenericSagaSqlSchema(schema))
                .serializer(serializer)
                .build();
    }

    @Bean
    DeadlineManager deadlineManager(org.axonframework.config.Configuration configuration,
                                    TransactionManager transactions) {
        return SimpleDeadlineManager.builder()
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .transactionManager(transactions)
                .build();
    }

    /**
     * Projections commit up to 100 events per transaction (with their token), so a replay or a
     * burst is not one database commit per event; a quiet system still handles each event at once.
     *
     * <p>The audit chain commits up to {@value #AUDIT_CHAIN_BATCH} links per transaction (it links a
     * whole batch with one read and one JDBC batch; a batch only fills up when the processor is
     * behind). It stays one segment on one thread: its links are a sequence. It starts from the
     * tail as a plain stream, not as a replay: Axon's default first token replays up to the head,
     * and the chain ({@code @DisallowReplay}) would then skip, unlinked, every event stored before
     * it first ran — a portal upgraded onto an existing history would have a chain with a hole.
     * (A long backlog is linked in bulk before the processor starts: {@code AuditChainCatchUp}.)
     */
    @Bean
    ConfigurerModule projectionBatching() {
        return configurer -> configurer.eventProcessing(processing -> {
            for (String projection : List.of("workspaces", "blueprints", "clusters", "connections",
                    "firewall", "members", "publish-requests", "settings")) {
                processing.registerTrackingEventProcessorConfiguration(projection, config ->
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(100));
            }
            processing.registerTrackingEventProcessorConfiguration(AUDIT_CHAIN, config ->
                    TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                            .andBatchSize(AUDIT_CHAIN_BATCH)
                            .andInitialTrackingToken(StreamableMessageSource::createTailToken));
        });
    }

    static final String AUDIT_CHAIN = "audit-chain";
    static final int AUDIT_CHAIN_BATCH = 1000;

    /** Events read per query when a processor catches up, and per query when an aggregate loads. */
    static final int EVENT_FETCH_SIZE = 1000;

    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider("causationId", "correlationId");
    }

    @Bean
    CorrelationDataProvider actorAndClientIp() {
        return new SimpleCorrelationDataProvider(MetaDataKeys.ACTOR, MetaDataKeys.CLIENT_IP);
    }
}
