package dev.rdeportal.command.settings;

import static dev.rdeportal.domain.settings.ChangeSettingsCommand.SETTINGS_ID;

import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.ChangeSettingsCommand;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import dev.rdeportal.domain.settings.SettingsChangedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsTest {

    static final PortalSettings ACME = new PortalSettings(new Branding("Acme Dev", "#aa0000", "/logo.svg"),
            new RateLimits(3, 120));
    static final PortalSettings STRICTER = new PortalSettings(ACME.branding(), new RateLimits(1, 10));

    AggregateTestFixture<Settings> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Settings.class);
    }

    @Test
    void theFirstChangeCreatesTheSettingsAndNamesTheAdmin() {
        fixture.givenNoPriorActivity()
                .when(new ChangeSettingsCommand(SETTINGS_ID, ACME, "admin@example.com"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new SettingsChangedEvent(SETTINGS_ID, ACME, "admin@example.com"));
    }

    @Test
    void aChangeCarriesTheWholeDocument() {
        fixture.given(new SettingsChangedEvent(SETTINGS_ID, ACME, "admin@example.com"))
                .when(new ChangeSettingsCommand(SETTINGS_ID, STRICTER, "second-admin@example.com"))
                .expectEvents(new SettingsChangedEvent(SETTINGS_ID, STRICTER, "second-admin@example.com"));
    }

    @Test
    void savingTheDocumentInForceRecordsNothing() {
        fixture.given(new SettingsChangedEvent(SETTINGS_ID, ACME, "admin@example.com"))
                .when(new ChangeSettingsCommand(SETTINGS_ID, new PortalSettings(
                        new Branding(" Acme Dev ", "#AA0000", "/logo.svg"), new RateLimits(3, 120)), "other@example.com"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void savingTheInitialDocumentTheFirstTimeIsRecorded() {
        // Nothing was ever saved: the defaults in force come from configuration, not from history.
        PortalSettings initial = PortalSettings.initial(RateLimits.DEFAULT);
        fixture.givenNoPriorActivity()
                .when(new ChangeSettingsCommand(SETTINGS_ID, initial, "admin@example.com"))
                .expectEvents(new SettingsChangedEvent(SETTINGS_ID, initial, "admin@example.com"));
    }
}
