package dev.rdeportal.query.settings;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import dev.rdeportal.domain.settings.SettingsChangedEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryBackpressure;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The settings read model from event to JSON: projection, query handler and endpoints. */
class SettingsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final PortalSettings ACME = new PortalSettings(
            new Branding("Acme Dev", "#aa0000", "https://cdn.example.com/logo.svg"), new RateLimits(3, 120));

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final SettingsReadRepository repository = new SettingsReadRepository(db.r2dbc(),
            new RateLimitDefaults(7, 300));
    private final SettingsProjection projection = new SettingsProjection(db.jdbc(), emitter, repository);
    private final SettingsQueryHandler handler = new SettingsQueryHandler(repository);
    private final WebTestClient client = WebTestClient.bindToController(new SettingsQueryController(repository))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @Test
    void untilAnAdminSavesSettingsTheConfiguredDefaultsAreInForce() throws Exception {
        assertThat(handler.handle(new FindSettingsQuery()).get(5, TimeUnit.SECONDS))
                .isEqualTo(new PortalSettings(Branding.DEFAULT, new RateLimits(7, 300)));
        asAdmin().exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.branding.productName").isEqualTo("RDE Portal")
                .jsonPath("$.rateLimits.launchesPerMinute").isEqualTo(7)
                .jsonPath("$.rateLimits.requestsPerMinute").isEqualTo(300);
    }

    @Test
    void theLastChangeIsInForceAndHandlingItAgainChangesNothing() throws Exception {
        PortalSettings stricter = new PortalSettings(ACME.branding(), new RateLimits(1, 10));
        projection.on(new SettingsChangedEvent("settings", ACME, "admin@example.com"), T0);
        projection.on(new SettingsChangedEvent("settings", stricter, "admin@example.com"), T0.plusSeconds(1));
        projection.on(new SettingsChangedEvent("settings", stricter, "admin@example.com"), T0.plusSeconds(1));

        assertThat(handler.handle(new FindSettingsQuery()).get(5, TimeUnit.SECONDS)).isEqualTo(stricter);
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM settings_view", Integer.class)).isEqualTo(1);
        asAdmin().exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.branding.productName").isEqualTo("Acme Dev")
                .jsonPath("$.branding.accentColor").isEqualTo("#aa0000")
                .jsonPath("$.branding.logoUrl").isEqualTo("https://cdn.example.com/logo.svg")
                .jsonPath("$.rateLimits.launchesPerMinute").isEqualTo(1)
                .jsonPath("$.rateLimits.requestsPerMinute").isEqualTo(10);
    }

    @Test
    void subscribersOfTheSettingsSeeEveryChangeAndTheResetToDefaults() {
        List<PortalSettings> seen = new ArrayList<>();
        var registration = emitter.registerUpdateHandler(new GenericSubscriptionQueryMessage<>(new FindSettingsQuery(),
                ResponseTypes.instanceOf(PortalSettings.class), ResponseTypes.instanceOf(PortalSettings.class)),
                SubscriptionQueryBackpressure.defaultBackpressure(), 16);
        registration.getUpdates().subscribe(update -> seen.add((PortalSettings) update.getPayload()));

        projection.on(new SettingsChangedEvent("settings", ACME, "admin@example.com"), T0);
        projection.reset();

        assertThat(seen).containsExactly(ACME, new PortalSettings(Branding.DEFAULT, new RateLimits(7, 300)));
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM settings_view", Integer.class)).isZero();
    }

    @Test
    void theBrandingIsForAnyoneTheSettingsForAdminsOnly() {
        projection.on(new SettingsChangedEvent("settings", ACME, "admin@example.com"), T0);
        client.get().uri("/api/v1/branding").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.productName").isEqualTo("Acme Dev")
                .jsonPath("$.accentColor").isEqualTo("#aa0000")
                .jsonPath("$.logoUrl").isEqualTo("https://cdn.example.com/logo.svg")
                .jsonPath("$.rateLimits").doesNotExist();
        client.get().uri("/api/v1/settings").header(USER_HEADER, "alice@example.com")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
    }

    private WebTestClient.RequestHeadersSpec<?> asAdmin() {
        return client.get().uri("/api/v1/settings").header(USER_HEADER, "admin@example.com").header(ADMIN_HEADER, "true");
    }
}
