package dev.rdeportal.portal.server.ratelimit;

import dev.rdeportal.query.settings.RateLimitDefaults;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimiterProperties.class)
class RateLimitConfiguration {

    @Bean
    ApiRateLimits apiRateLimits(QueryGateway queries, RateLimitDefaults defaults, RateLimiterProperties properties,
                                MeterRegistry meters) {
        return new ApiRateLimits(queries, defaults.rateLimits(), properties, meters, System::nanoTime);
    }
}
