package dev.rdeportal.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.FindBlueprintQuery;
import dev.rdeportal.domain.blueprint.FindBlueprintsQuery;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.AgentJoinedEvent;
import dev.rdeportal.domain.cluster.ClusterRegisteredEvent;
import dev.rdeportal.domain.cluster.ClusterView;
import dev.rdeportal.domain.cluster.FindAgentCredentialQuery;
import dev.rdeportal.domain.cluster.FindClustersQuery;
import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import dev.rdeportal.domain.settings.SettingsChangedEvent;
import dev.rdeportal.domain.workspace.FindClusterWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.audit.EventStoreRows;
import dev.rdeportal.query.support.ReadModelDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The module as the portal assembles it: every component created by Spring from the beans the
 * portal provides, events delivered the way Axon delivers them (so {@code @Timestamp},
 * {@code ReplayStatus} and {@code @ResetHandler} resolve on these package-private handlers), and
 * queries sent over a query bus with the response types callers use.
 */
class AxonWiringTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final WorkspaceSpec SPEC = new WorkspaceSpec("img", 500, 512, 1, List.of(8080), Map.of(), null);

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final QueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final QueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    private final QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();
    private AnnotationConfigApplicationContext context;

    @BeforeEach
    void startContext() {
        // the portal's event table, which the audit chain reads (the portal's V1 migration)
        EventStoreRows.createTable(db.jdbc());
        context = new AnnotationConfigApplicationContext();
        context.registerBean(JdbcTemplate.class, db::jdbc);
        context.registerBean(DatabaseClient.class, db::r2dbc);
        context.registerBean(QueryUpdateEmitter.class, () -> emitter);
        context.registerBean(QueryGateway.class, () -> gateway);
        context.registerBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new);
        // the portal's transactions and Axon token store, which the audit chain's bulk catch-up uses
        context.registerBean(PlatformTransactionManager.class,
                () -> new DataSourceTransactionManager(db.jdbc().getDataSource()));
        context.registerBean(TokenStore.class, InMemoryTokenStore::new);
        // the portal's event serializer, which the audit's access replay reads payloads with
        context.registerBean("eventSerializer", Serializer.class, JacksonSerializer::defaultSerializer);
        context.scan("dev.rdeportal.query");
        context.refresh();
        // what Axon's Spring configuration does with the beans it finds
        context.getBeansWithAnnotation(Component.class).values().stream()
                .filter(AxonWiringTest::hasQueryHandlers)
                .forEach(handler -> new AnnotationQueryHandlerAdapter<>(handler).subscribe(bus));
    }

    @AfterEach
    void stopContext() {
        context.close();
    }

    @Test
    void theProjectionsDeclareTheAgreedProcessingGroups() {
        assertThat(context.getBeansWithAnnotation(ProcessingGroup.class).values())
                .extracting(bean -> bean.getClass().getAnnotation(ProcessingGroup.class).value())
                .containsExactlyInAnyOrder("workspaces", "blueprints", "clusters", "connections", "audit-chain", "firewall",
                        "members", "publish-requests", "settings");
    }

    @Test
    void eventsAndQueriesFlowThroughAxonsAdapters() throws Exception {
        deliver(new WorkspaceLaunchedEvent("w1", "ann@example.com", "dev", "bp1", "c1", SPEC, "op1"), T0);
        deliver(new BlueprintCreatedEvent("bp1", new BlueprintDetails("java", "c1", "img",
                new Resources(500, 512, 1), List.of(8080), Map.of(), null), "admin@example.com"), T0);
        deliver(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);
        deliver(new AgentJoinedEvent("c1", "a1", "hash", "node-1"), T0);

        Optional<WorkspaceView> workspace = gateway.query(new FindWorkspaceQuery("w1"),
                ResponseTypes.optionalInstanceOf(WorkspaceView.class)).get(5, TimeUnit.SECONDS);
        assertThat(workspace).hasValueSatisfying(w -> {
            assertThat(w.status()).isEqualTo(WorkspaceStatus.PROVISIONING);
            assertThat(w.createdAt()).as("from the event message's timestamp").isEqualTo(T0);
        });
        assertThat(gateway.query(new FindOwnedWorkspacesQuery("ann@example.com"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class)).get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(gateway.query(new FindClusterWorkspacesQuery("c1"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class)).get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(gateway.query(new FindBlueprintQuery("bp1"),
                ResponseTypes.optionalInstanceOf(BlueprintView.class)).get(5, TimeUnit.SECONDS)).isPresent();
        assertThat(gateway.query(new FindBlueprintsQuery(),
                ResponseTypes.multipleInstancesOf(BlueprintView.class)).get(5, TimeUnit.SECONDS)).hasSize(1);
        assertThat(gateway.query(new FindAgentCredentialQuery("a1"),
                ResponseTypes.optionalInstanceOf(AgentCredentialView.class)).get(5, TimeUnit.SECONDS))
                .contains(new AgentCredentialView("a1", "c1", "hash"));
        assertThat(gateway.query(new FindClustersQuery(),
                ResponseTypes.multipleInstancesOf(ClusterView.class)).get(5, TimeUnit.SECONDS))
                .singleElement().satisfies(c -> assertThat(c.agents()).hasSize(1));

        PortalSettings acme = new PortalSettings(new Branding("Acme", "#aa0000", null), new RateLimits(2, 50));
        assertThat(gateway.query(new FindSettingsQuery(), ResponseTypes.instanceOf(PortalSettings.class))
                .get(5, TimeUnit.SECONDS).rateLimits()).as("the configured defaults").isEqualTo(RateLimits.DEFAULT);
        deliver(new SettingsChangedEvent("settings", acme, "admin@example.com"), T0);
        assertThat(gateway.query(new FindSettingsQuery(), ResponseTypes.instanceOf(PortalSettings.class))
                .get(5, TimeUnit.SECONDS)).isEqualTo(acme);
    }

    @Test
    void aResetThroughAxonEmptiesEveryReadModel() {
        deliver(new WorkspaceLaunchedEvent("w1", "ann@example.com", "dev", "bp1", "c1", SPEC, "op1"), T0);
        deliver(new ClusterRegisteredEvent("c1", "production", "admin@example.com"), T0);

        context.getBeansWithAnnotation(ProcessingGroup.class).values()
                .forEach(projection -> new AnnotationEventHandlerAdapter(projection).prepareReset());

        for (String table : List.of("workspace_view", "blueprint_view", "cluster_view", "agent_view")) {
            assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Integer.class)).as(table).isZero();
        }
    }

    private void deliver(Object event, Instant at) {
        GenericEventMessage<Object> message = new GenericEventMessage<>(
                UUID.randomUUID().toString(), event, Map.of(), at);
        context.getBeansWithAnnotation(ProcessingGroup.class).values().forEach(projection -> {
            AnnotationEventHandlerAdapter adapter = new AnnotationEventHandlerAdapter(projection);
            if (adapter.canHandle(message)) {
                try {
                    adapter.handle(message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    private static boolean hasQueryHandlers(Object bean) {
        for (var method : bean.getClass().getDeclaredMethods()) {
            if (method.isAnnotationPresent(QueryHandler.class)) {
                return true;
            }
        }
        return false;
    }
}
