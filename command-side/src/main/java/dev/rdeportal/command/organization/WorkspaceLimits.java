package dev.rdeportal.command.organization;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rde.workspaces.*}.
 *
 * @param defaultLimit running workspaces a member may have unless their membership overrides it
 *                     (default 5). Counted: PROVISIONING, RUNNING and STOPPING workspaces.
 */
@ConfigurationProperties("rde.workspaces")
public record WorkspaceLimits(Integer defaultLimit) {

    public WorkspaceLimits {
        if (defaultLimit == null) {
            defaultLimit = 5;
        }
        if (defaultLimit < 0) {
            throw new IllegalArgumentException("rde.workspaces.default-limit must not be negative");
        }
    }
}
