package dev.rdeportal.command.settings;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.settings.ChangeSettingsCommand;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.SettingsChangedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The portal's one settings document ({@value ChangeSettingsCommand#SETTINGS_ID}). It comes into
 * being with the first change. Two admins saving at once race on the same aggregate sequence: one
 * wins, the other gets a concurrency conflict (409) rather than silently overwriting.
 */
@Aggregate
class Settings {

    @AggregateIdentifier
    private String id;
    private PortalSettings settings;

    Settings() {
        // for Axon
    }

    /** Saving the document that is already in force records nothing: it is no change. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ChangeSettingsCommand cmd) {
        if (id != null && cmd.settings().equals(settings)) {
            return;
        }
        apply(new SettingsChangedEvent(cmd.settingsId(), cmd.settings(), cmd.changedBy()));
    }

    @EventSourcingHandler
    void on(SettingsChangedEvent e) {
        id = e.settingsId();
        settings = e.settings();
    }
}
