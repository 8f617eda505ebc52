package dev.rdeportal.query.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wiring the query side needs beyond component scanning: scheduling, for the workspace gauges'
 * refresh. Enabling it again elsewhere in the portal is harmless.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class QuerySideConfiguration {
}
