package dev.rdeportal.command.workspace;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lifecycle tuning ({@code rde.lifecycle.*}).
 *
 * @param operationTimeout how long an agent operation may take before the workspace is FAILED
 *                         (default 2 minutes: image pulls on a cold node take that long)
 */
@ConfigurationProperties("rde.lifecycle")
public record LifecycleSettings(Duration operationTimeout) {

    public LifecycleSettings {
        if (operationTimeout == null) {
            operationTimeout = Duration.ofMinutes(2);
        }
        if (operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw new IllegalArgumentException("rde.lifecycle.operation-timeout must be positive");
        }
    }
}
