package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.ChangeSettingsCommand;
import dev.rdeportal.domain.settings.FindSettingsQuery;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.domain.settings.RateLimits;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code PUT /api/v1/settings} (admins only): replaces the whole settings document. Answers once the
 * read model (and so {@code GET}, the branding and this replica's rate limiters) shows it, or after
 * a few seconds with the accepted document if it lags: the change is committed either way.
 */
@RestController
@RequestMapping("/api/v1/settings")
class SettingsCommandController {

    static final Duration READ_YOUR_WRITE = Duration.ofSeconds(5);

    private final CommandSender commands;
    private final QueryGateway queries;

    SettingsCommandController(CommandSender commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record BrandingBody(String productName, String accentColor, String logoUrl) {
    }

    /** Boxed, so a missing limit is refused rather than read as 0 by accident of JSON binding. */
    record RateLimitsBody(Integer launchesPerMinute, Integer requestsPerMinute) {
    }

    record SettingsBody(BrandingBody branding, RateLimitsBody rateLimits) {

        static SettingsBody of(PortalSettings s) {
            return new SettingsBody(
                    new BrandingBody(s.branding().productName(), s.branding().accentColor(), s.branding().logoUrl()),
                    new RateLimitsBody(s.rateLimits().launchesPerMinute(), s.rateLimits().requestsPerMinute()));
        }
    }

    @PutMapping
    Mono<SettingsBody> replace(@RequestBody SettingsBody request, Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        if (request == null || request.branding() == null || request.rateLimits() == null) {
            throw DomainException.invalid("branding and rateLimits are required (PUT replaces the whole document)");
        }
        RateLimitsBody limits = request.rateLimits();
        if (limits.launchesPerMinute() == null || limits.requestsPerMinute() == null) {
            throw DomainException.invalid("rateLimits.launchesPerMinute and rateLimits.requestsPerMinute are required");
        }
        BrandingBody branding = request.branding();
        var command = new ChangeSettingsCommand(ChangeSettingsCommand.SETTINGS_ID, new PortalSettings(
                new Branding(branding.productName(), branding.accentColor(), branding.logoUrl()),
                new RateLimits(limits.launchesPerMinute(), limits.requestsPerMinute())), caller.getName());
        return commands.send(command, caller, exchange)
                .then(Flux.interval(Duration.ZERO, Duration.ofMillis(100))
                        // A read slower than a tick skips ticks rather than failing the interval.
                        .onBackpressureDrop()
                        .concatMap(tick -> Mono.fromFuture(queries.query(new FindSettingsQuery(),
                                ResponseTypes.instanceOf(PortalSettings.class))))
                        .filter(command.settings()::equals)
                        .next()
                        .timeout(READ_YOUR_WRITE)
                        .onErrorResume(TimeoutException.class, e -> Mono.empty())
                        .thenReturn(SettingsBody.of(command.settings())));
    }

    /** The security rules say so too; this is the second line of defence. */
    private static void requireAdmin(Principal caller) {
        boolean admin = caller instanceof Authentication authentication && authentication.getAuthorities().stream()
                .anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new DomainException(ErrorCode.FORBIDDEN, "changing the settings is for admins only");
        }
    }
}
