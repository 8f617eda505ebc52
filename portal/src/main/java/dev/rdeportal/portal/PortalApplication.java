package dev.rdeportal.portal;

import dev.rdeportal.portal.identity.IdentityProviderApplication;
import dev.rdeportal.portal.server.ControlPlaneApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the portal: one JVM, three application contexts.
 *
 * <pre>
 *              parent (no web; rde.yml: settings both children read)
 *              /                                   \
 *   identity provider (servlet, :9000)     control plane (reactive, :8080)
 *   Spring Authorization Server,           REST API, event store, projections,
 *   only when rde.identity.embedded        tunnel gateway (gRPC :9443), agent launcher
 * </pre>
 *
 * Spring Authorization Server is servlet-only and the control plane is WebFlux, so they cannot
 * share a context; siblings under one parent keep one process and one configuration.
 */
public final class PortalApplication {

    private PortalApplication() {
    }

    public static void main(String[] args) {
        start(args);
    }

    /** Starts all contexts; answers the control plane's (tests use it). */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplicationBuilder parent = new SpringApplicationBuilder(ParentConfiguration.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=rde")
                .logStartupInfo(false);
        ConfigurableApplicationContext parentContext = parent.run(args);
        boolean embeddedIdentity = parentContext.getEnvironment()
                .getProperty("rde.identity.embedded", Boolean.class, true);
        if (embeddedIdentity) {
            parent.child(IdentityProviderApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .properties("spring.config.name=rde-identity")
                    .run(args);
        }
        return parent.child(ControlPlaneApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=rde-portal")
                .run(args);
    }
}
