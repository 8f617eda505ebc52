package dev.rdeportal.gateway;

import dev.rdeportal.gateway.channel.ChannelBroker;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import dev.rdeportal.gateway.preview.PreviewProperties;
import dev.rdeportal.gateway.preview.PublishedOrigin;
import org.springframework.beans.factory.annotation.Value;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the tunnel gateway. The application provides Axon's {@link CommandGateway},
 * {@link QueryGateway} and {@link EventGateway}, a {@link MeterRegistry} and optionally a
 * {@link Clock}; everything else is declared here.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    @Bean
    TlsMaterial gatewayTlsMaterial(GatewayProperties properties, ObjectProvider<Clock> clock) {
        return TlsMaterial.load(properties.tls(), clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    AgentRegistry agentRegistry(MeterRegistry meters) {
        return new AgentRegistry(meters);
    }

    @Bean
    ChannelBroker channelBroker(MeterRegistry meters, AgentRegistry agentRegistry, GatewayProperties properties) {
        return new ChannelBroker(meters, agentRegistry::forCluster, properties.channelOpenTimeout(),
                properties.callTimeout(), () -> UUID.randomUUID().toString());
    }

    @Bean
    JoinTokenIssuer joinTokenIssuer(TlsMaterial gatewayTlsMaterial) {
        return new JoinTokenIssuer(gatewayTlsMaterial);
    }

    @Bean
    OperationDispatcher operationDispatcher(AgentRegistry agentRegistry) {
        return new OperationDispatcher(agentRegistry);
    }

    @Bean
    AgentCredentials agentCredentials(QueryGateway queryGateway, GatewayProperties properties,
                                      ObjectProvider<Clock> clock) {
        return new AgentCredentials(queryGateway, clock.getIfUnique(Clock::systemUTC),
                properties.credentialCacheTtl(), properties.callTimeout());
    }

    /** Closed (with its scheduler) by Spring through {@link TunnelService#close()}. */
    @Bean
    TunnelService tunnelService(GatewayProperties properties, AgentRegistry agentRegistry, ChannelBroker channelBroker,
                                AgentCredentials agentCredentials, CommandGateway commandGateway,
                                QueryGateway queryGateway, EventGateway eventGateway, ObjectProvider<Clock> clock,
                                ObjectProvider<PreviewProperties> previewProperties,
                                @Value("${rde.portal.port:8080}") int portalPort) {
        // Not a bean: a ScheduledExecutorService bean would be taken over by Spring's @Scheduled support.
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rde-gateway-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        ControlSession.Dependencies sessions = new ControlSession.Dependencies(agentRegistry, channelBroker,
                commandGateway, queryGateway, new Reconciler(() -> UUID.randomUUID().toString()), heartbeats,
                clock.getIfUnique(Clock::systemUTC), properties.heartbeatInterval(), properties.callTimeout(),
                properties.controlQueueCapacity(), publishedUrls(previewProperties.getIfAvailable(
                        () -> new PreviewProperties(null, null, 0, null, null, null, null)), portalPort));
        return new TunnelService(new AgentJoiner(commandGateway, eventGateway, agentCredentials,
                properties.callTimeout()), sessions);
    }

    /** A published app is served on the preview domain, beside previews (see {@link PublishedOrigin}). */
    static Function<String, String> publishedUrls(PreviewProperties preview, int portalPort) {
        return name -> PublishedOrigin.url(preview, portalPort, name);
    }

    @Bean
    TunnelServer tunnelServer(GatewayProperties properties, TlsMaterial gatewayTlsMaterial, TunnelService tunnelService,
                              AgentCredentials agentCredentials, AgentRegistry agentRegistry) {
        return new TunnelServer(properties, gatewayTlsMaterial, tunnelService, new AgentAuthenticator(agentCredentials),
                agentRegistry);
    }
}
