package dev.rdeportal.gateway.terminal;

import dev.rdeportal.gateway.GatewayProperties;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.gateway.web.EventLoopUpgrades;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Wires terminals: tickets (on the application's {@link JdbcTemplate}), the WebSocket endpoint
 * and the REST endpoints ({@link TerminalController}, found by component scanning). The
 * application provides the JDBC template, Axon's gateways and the {@link ChannelBroker} (from
 * {@code GatewayConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TerminalProperties.class)
public class TerminalConfiguration {

    @Bean
    TerminalTickets terminalTickets(JdbcTemplate jdbcTemplate, TerminalProperties properties, ObjectProvider<Clock> clock) {
        return new TerminalTickets(jdbcTemplate, clock.getIfUnique(Clock::systemUTC), properties.ticketTtl(),
                new SecureRandom());
    }

    @Bean
    WorkspaceAccess terminalWorkspaceAccess(QueryGateway queryGateway, GatewayProperties gateway) {
        return new WorkspaceAccess(queryGateway, gateway.callTimeout());
    }

    @Bean
    TerminalAudit terminalAudit(EventGateway eventGateway) {
        return new TerminalAudit(eventGateway);
    }

    @Bean
    TerminalWebSocketHandler terminalWebSocketHandler(TerminalTickets terminalTickets, ChannelBroker channelBroker,
                                                      TerminalAudit terminalAudit, WorkspaceAccess terminalWorkspaceAccess,
                                                      TerminalProperties properties, ObjectProvider<Clock> clock) {
        return new TerminalWebSocketHandler(terminalTickets, channelBroker, terminalAudit, terminalWorkspaceAccess,
                clock.getIfUnique(Clock::systemUTC), properties.authTimeout());
    }

    /** Ahead of the annotated controllers, which have nothing on this path anyway. */
    @Bean
    SimpleUrlHandlerMapping terminalHandlerMapping(TerminalWebSocketHandler terminalWebSocketHandler,
                                                   TerminalAudit terminalAudit, TerminalProperties properties,
                                                   @Value("${rde.portal.port:8080}") int portalPort) {
        TerminalEndpoint endpoint = new TerminalEndpoint(EventLoopUpgrades.service(), terminalWebSocketHandler,
                terminalAudit, properties.originsOr(portalPort));
        return new SimpleUrlHandlerMapping(Map.of(TerminalEndpoint.PATH_PATTERN, endpoint), -1);
    }
}
