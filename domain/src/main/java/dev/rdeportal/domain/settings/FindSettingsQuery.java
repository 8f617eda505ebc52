package dev.rdeportal.domain.settings;

/**
 * The settings in force; answers {@link PortalSettings} (the configured initial document until an
 * admin saves one). As a subscription query, updates follow every change on the replica that
 * projected it.
 */
public record FindSettingsQuery() {
}
