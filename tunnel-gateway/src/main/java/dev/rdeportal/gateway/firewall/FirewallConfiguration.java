package dev.rdeportal.gateway.firewall;

import java.time.Clock;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@link FirewallGuard}; the application provides Axon's gateways and optionally a {@link Clock}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FirewallProperties.class)
public class FirewallConfiguration {

    @Bean
    FirewallGuard firewallGuard(QueryGateway queryGateway, EventGateway eventGateway, FirewallProperties properties,
                                ObjectProvider<Clock> clock) {
        return new FirewallGuard(queryGateway, eventGateway, properties, clock.getIfUnique(Clock::systemUTC));
    }
}
