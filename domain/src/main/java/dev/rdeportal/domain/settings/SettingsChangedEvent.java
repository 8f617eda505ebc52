package dev.rdeportal.domain.settings;

import org.axonframework.serialization.Revision;

/**
 * The portal's settings are now exactly {@code settings} (the whole document, so the history
 * alone says what was in force at any instant).
 *
 * @param changedBy the admin's email (also in the event's metadata)
 */
@Revision("1")
public record SettingsChangedEvent(String settingsId, PortalSettings settings, String changedBy) {
}
