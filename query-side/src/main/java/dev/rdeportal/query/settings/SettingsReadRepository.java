package dev.rdeportal.query.settings;

import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads the settings in force through R2DBC: the saved document, or the configured defaults while
 * nobody has saved one.
 */
@Component
class SettingsReadRepository {

    private final DatabaseClient db;
    private final PortalSettings initial;

    SettingsReadRepository(DatabaseClient db, RateLimitDefaults defaults) {
        this.db = db;
        this.initial = PortalSettings.initial(defaults.rateLimits());
    }

    PortalSettings initial() {
        return initial;
    }

    Mono<PortalSettings> current() {
        return db.sql("SELECT product_name, accent_color, logo_url, launches_per_minute, requests_per_minute "
                        + "FROM settings_view WHERE id = :id")
                .bind("id", SettingsProjection.ROW_ID)
                .map(row -> new PortalSettings(
                        new Branding(row.get("product_name", String.class), row.get("accent_color", String.class),
                                row.get("logo_url", String.class)),
                        new RateLimits(row.get("launches_per_minute", Integer.class),
                                row.get("requests_per_minute", Integer.class))))
                .one()
                .defaultIfEmpty(initial);
    }
}
