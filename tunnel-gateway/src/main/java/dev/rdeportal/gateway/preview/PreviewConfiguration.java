package dev.rdeportal.gateway.preview;

import dev.rdeportal.gateway.GatewayProperties;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.firewall.FirewallGuard;
import dev.rdeportal.gateway.terminal.TerminalAudit;
import dev.rdeportal.gateway.terminal.WorkspaceAccess;
import dev.rdeportal.gateway.ticket.Secrets;
import dev.rdeportal.gateway.web.EventLoopUpgrades;
import io.micrometer.observation.ObservationPredicate;
import java.security.SecureRandom;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Mono;

/**
 * Wires previews: tickets and cookie sessions on the application's {@link JdbcTemplate}, the
 * {@link PreviewFilter} in front of everything for preview hosts, the ticket endpoint
 * ({@link PreviewController}, found by component scanning) and the sweeper that ends idle and
 * expired sessions.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PreviewProperties.class)
public class PreviewConfiguration {

    /** The portal's own port, for preview URLs when no public port is configured. */
    record PortalPort(int value) {
    }

    @Bean
    PortalPort previewPortalPort(@Value("${rde.portal.port:8080}") int port) {
        return new PortalPort(port);
    }

    @Bean
    PreviewTickets previewTickets(JdbcTemplate jdbcTemplate, PreviewProperties properties, ObjectProvider<Clock> clock) {
        return new PreviewTickets(jdbcTemplate, clock.getIfUnique(Clock::systemUTC), properties.ticketTtl(),
                new Secrets(new SecureRandom()));
    }

    @Bean
    PreviewSessions previewSessions(JdbcTemplate jdbcTemplate, PreviewProperties properties, ObjectProvider<Clock> clock) {
        return new PreviewSessions(jdbcTemplate, clock.getIfUnique(Clock::systemUTC), new Secrets(new SecureRandom()),
                properties.sessionLifetime(), properties.sessionIdleTimeout());
    }

    @Bean
    PreviewSweeper previewSweeper(PreviewSessions previewSessions, TerminalAudit terminalAudit, PreviewProperties properties) {
        return new PreviewSweeper(previewSessions, terminalAudit, properties.sweepInterval());
    }

    @Bean
    PreviewSessionCloser previewSessionCloser(PreviewSweeper previewSweeper) {
        return new PreviewSessionCloser(previewSweeper);
    }

    /** Sessions close where the workspace's event is published: see {@link PreviewSessionCloser}. */
    @Bean
    ConfigurerModule previewSessionCloserProcessing() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerSubscribingEventProcessor(PreviewSessionCloser.GROUP));
    }

    /** Without a {@link MemberCheck} from the application, published apps refuse everyone (fail closed). */
    @Bean
    PublishedApps publishedApps(QueryGateway queryGateway, ObjectProvider<MemberCheck> memberCheck,
                                GatewayProperties gateway) {
        return new PublishedApps(queryGateway, gateway.callTimeout(),
                memberCheck.getIfAvailable(() -> email -> Mono.just(false)));
    }

    /**
     * Preview requests are not observed as the portal's own HTTP requests ({@code http.server.requests}):
     * they are the app's traffic, counted per cookie session in the audit and by the tunnel's meters.
     * The observation's start, stop and timer cost ~3% of the portal's CPU per small preview request
     * (session 6 profile), and every preview path would have been one "UNKNOWN" uri tag anyway.
     */
    @Bean
    ObservationPredicate previewRequestsUnobserved(PreviewProperties properties) {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server && isPreview(server, properties.domain()));
    }

    static boolean isPreview(ServerRequestObservationContext context,
                             String domain) {
        ServerHttpRequest request = context.getCarrier();
        return request != null && PreviewOrigin.underDomain(
                PreviewFilter.hostName(request.getHeaders().getFirst(HttpHeaders.HOST)), domain);
    }

    @Bean
    PreviewFilter previewFilter(PreviewProperties properties, PreviewTickets previewTickets, PreviewSessions previewSessions,
                                WorkspaceAccess workspaceAccess, ChannelBroker channelBroker, TerminalAudit terminalAudit,
                                FirewallGuard firewallGuard, PublishedApps publishedApps,
                                @Value("${rde.gateway.preview.portal-url:}") String portalUrl,
                                @Value("${rde.portal.port:8080}") int portalPort) {
        String portal = portalUrl == null || portalUrl.isBlank() ? "http://localhost:" + portalPort
                : portalUrl.strip().replaceAll("/+$", "");
        return new PreviewFilter(properties, previewTickets, previewSessions, workspaceAccess, channelBroker,
                new PreviewRelay(EventLoopUpgrades.service()), new PreviewResponses(portal), terminalAudit, firewallGuard, publishedApps);
    }
}
