package dev.rdeportal.query.audit;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.lifecycle.Phase;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    @Bean
    AuditChainCatchUp auditChainCatchUp(JdbcTemplate jdbc, PlatformTransactionManager transactions, TokenStore tokens,
                                        AuditProperties properties) {
        return new AuditChainCatchUp(jdbc, transactions, tokens, AuditChainProjection.PROCESSING_GROUP,
                properties.chainCatchUpThreshold(), AuditChainCatchUp.CHUNK);
    }

    /** Just before the event processors start: the chain's processor then finds its backlog linked. */
    @Bean
    ConfigurerModule auditChainCatchUpAtStart(AuditChainCatchUp catchUp) {
        return configurer -> configurer.onStart(Phase.INBOUND_EVENT_CONNECTORS - 1, catchUp::run);
    }
}
