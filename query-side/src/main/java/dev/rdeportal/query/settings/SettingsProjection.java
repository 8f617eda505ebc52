package dev.rdeportal.query.settings;

import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.SettingsChangedEvent;
import dev.rdeportal.query.support.Timestamps;
import java.sql.Types;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code settings_view}: the one settings document as last changed. Each change rewrites the
 * row, so handling an event again leaves the same row. After a change the document goes to
 * subscribers of {@link FindSettingsQuery} on this replica (its rate limiters).
 */
@Component
@ProcessingGroup(SettingsProjection.PROCESSING_GROUP)
class SettingsProjection {

    static final String PROCESSING_GROUP = "settings";
    static final String ROW_ID = "settings";

    private static final Logger log = LoggerFactory.getLogger("rde.query.settings");

    private final NamedParameterJdbcTemplate jdbc;
    private final QueryUpdateEmitter updates;
    private final SettingsReadRepository settings;

    SettingsProjection(JdbcTemplate jdbc, QueryUpdateEmitter updates, SettingsReadRepository settings) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.updates = updates;
        this.settings = settings;
    }

    @EventHandler
    void on(SettingsChangedEvent e, @Timestamp Instant at) {
        PortalSettings s = e.settings();
        jdbc.update("DELETE FROM settings_view WHERE id = :id", new MapSqlParameterSource("id", ROW_ID));
        jdbc.update("INSERT INTO settings_view (id, product_name, accent_color, logo_url, launches_per_minute, "
                + "requests_per_minute, changed_by, changed_at) VALUES (:id, :productName, :accentColor, :logoUrl, "
                + ":launches, :requests, :changedBy, :at)", new MapSqlParameterSource()
                .addValue("id", ROW_ID)
                .addValue("productName", s.branding().productName())
                .addValue("accentColor", s.branding().accentColor())
                .addValue("logoUrl", s.branding().logoUrl(), Types.VARCHAR)
                .addValue("launches", s.rateLimits().launchesPerMinute())
                .addValue("requests", s.rateLimits().requestsPerMinute())
                .addValue("changedBy", e.changedBy() == null ? "unknown" : e.changedBy())
                .addValue("at", Timestamps.toColumn(at)));
        // Emitted when the unit of work commits, so no subscriber sees settings that were rolled back.
        updates.emit(FindSettingsQuery.class, query -> true, s);
        log.info("settings changed by {}: {} launches and {} requests per minute", e.changedBy(),
                s.rateLimits().launchesPerMinute(), s.rateLimits().requestsPerMinute());
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().update("DELETE FROM settings_view");
        updates.emit(FindSettingsQuery.class, query -> true, settings.initial());
        log.info("settings read model cleared for replay");
    }
}
