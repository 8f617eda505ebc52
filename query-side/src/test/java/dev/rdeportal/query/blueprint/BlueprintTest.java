package dev.rdeportal.query.blueprint;

import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.FindBlueprintQuery;
import dev.rdeportal.domain.blueprint.FindBlueprintsQuery;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The blueprint read model from event to JSON: projection, query handler and endpoints. */
class BlueprintTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final BlueprintDetails JAVA = new BlueprintDetails("java", "c1", "ghcr.io/acme/java:21",
            new Resources(500, 4096, 10), List.of(8080), Map.of("JAVA_OPTS", "-Xmx2g"), "./gradlew bootRun");

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final TopologyChanges topology = new TopologyChanges();
    private final BlueprintProjection projection = new BlueprintProjection(db.jdbc(), topology);
    private final BlueprintReadRepository repository = new BlueprintReadRepository(db.r2dbc());
    private final BlueprintQueryHandler handler = new BlueprintQueryHandler(repository);
    private final WebTestClient client = WebTestClient.bindToController(new BlueprintQueryController(repository))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @Test
    void creationsAndUpdatesTellTheTopology() {
        AtomicInteger notices = new AtomicInteger();
        topology.notices().subscribe(n -> notices.incrementAndGet());
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);
        projection.on(new BlueprintUpdatedEvent("bp1", JAVA, "admin@example.com"), T0.plusSeconds(60));
        assertThat(notices).hasValue(2);
        projection.on(new BlueprintUpdatedEvent("bp-unknown", JAVA, "admin@example.com"), T0.plusSeconds(60));
        assertThat(notices).hasValue(2);
    }

    @Test
    void anUpdateReplacesTheDetailsAndKeepsTheCreationTime() throws Exception {
        BlueprintDetails bigger = new BlueprintDetails("java", "c1", "ghcr.io/acme/java:25",
                new Resources(2000, 8192, 20), List.of(8080, 5005), Map.of(), null);
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);
        projection.on(new BlueprintUpdatedEvent("bp1", bigger, "admin@example.com"), T0.plusSeconds(60));

        Optional<BlueprintView> view = handler.handle(new FindBlueprintQuery("bp1")).get(5, TimeUnit.SECONDS);

        assertThat(view).contains(new BlueprintView("bp1", bigger, T0, T0.plusSeconds(60)));
    }

    @Test
    void handlingTheSameEventAgainLeavesTheSameRow() {
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);
        List<Map<String, Object>> once = db.jdbc().queryForList("SELECT * FROM blueprint_view");
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);

        assertThat(db.jdbc().queryForList("SELECT * FROM blueprint_view")).isEqualTo(once).hasSize(1);
    }

    @Test
    void resetEmptiesTheReadModel() throws Exception {
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);

        projection.reset();

        assertThat(handler.handle(new FindBlueprintsQuery()).get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void blueprintsAreListedByName() throws Exception {
        projection.on(new BlueprintCreatedEvent("bp1", rename("python"), "admin@example.com"), T0);
        projection.on(new BlueprintCreatedEvent("bp2", rename("go"), "admin@example.com"), T0);
        projection.on(new BlueprintCreatedEvent("bp3", rename("node"), "admin@example.com"), T0);

        assertThat(handler.handle(new FindBlueprintsQuery()).get(5, TimeUnit.SECONDS))
                .extracting(BlueprintView::id).containsExactly("bp2", "bp3", "bp1");
    }

    @Test
    void aBlueprintHasTheDocumentedFieldsWithQuantities() {
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);

        client.get().uri("/api/v1/blueprints/bp1").header(USER_HEADER, "ann@example.com").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("bp1")
                .jsonPath("$.name").isEqualTo("java")
                .jsonPath("$.clusterId").isEqualTo("c1")
                .jsonPath("$.image").isEqualTo("ghcr.io/acme/java:21")
                .jsonPath("$.resources.cpu").isEqualTo("500m")
                .jsonPath("$.resources.memory").isEqualTo("4Gi")
                .jsonPath("$.resources.storage").isEqualTo("10Gi")
                .jsonPath("$.ports").isEqualTo(List.of(8080))
                .jsonPath("$.env.JAVA_OPTS").isEqualTo("-Xmx2g")
                .jsonPath("$.startCommand").isEqualTo("./gradlew bootRun")
                .jsonPath("$.createdAt").isEqualTo("2025-03-01T09:00:00Z")
                .jsonPath("$.updatedAt").isEqualTo("2025-03-01T09:00:00Z");
    }

    @Test
    void everyMemberSeesTheListInOnePage() {
        projection.on(new BlueprintCreatedEvent("bp1", JAVA, "admin@example.com"), T0);

        client.get().uri("/api/v1/blueprints").header(USER_HEADER, "ann@example.com").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].id").isEqualTo("bp1")
                .jsonPath("$.items[0].resources.cpu").isEqualTo("500m")
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).contains("\"next\":null"));
    }

    @Test
    void anUnknownBlueprintIsNotFound() {
        client.get().uri("/api/v1/blueprints/nope").header(USER_HEADER, "ann@example.com").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not-found");
    }

    private static BlueprintDetails rename(String name) {
        return new BlueprintDetails(name, JAVA.clusterId(), JAVA.image(), JAVA.resources(), JAVA.ports(), JAVA.env(),
                JAVA.startCommand());
    }
}
