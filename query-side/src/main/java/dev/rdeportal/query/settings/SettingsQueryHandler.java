package dev.rdeportal.query.settings;

import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers {@link FindSettingsQuery} from the read model, without blocking the caller. */
@Component
class SettingsQueryHandler {

    private final SettingsReadRepository settings;

    SettingsQueryHandler(SettingsReadRepository settings) {
        this.settings = settings;
    }

    @QueryHandler
    CompletableFuture<PortalSettings> handle(FindSettingsQuery query) {
        return settings.current().toFuture();
    }
}
