/**
 * Portal settings admins change at run time: branding and rate limits. One aggregate
 * ({@value dev.rdeportal.domain.settings.ChangeSettingsCommand#SETTINGS_ID}); every change is a
 * {@link dev.rdeportal.domain.settings.SettingsChangedEvent} carrying the whole document.
 */
package dev.rdeportal.domain.settings;
