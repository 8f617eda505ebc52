package dev.rdeportal.portal;

import dev.rdeportal.portal.identity.IdentityProviderApplication;
import dev.rdeportal.portal.server.ControlPlaneApplication;
import io.netty.util.ResourceLeakDetector;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Starts the portal: one JVM, three application contexts.
 *
 * <pre>
 *              parent (no web; rde.yml: settings both children read)
 *              /                                   \
 *   identity provider (servlet, :9000)     control plane (reactive, :8080)
 *   Spring Authorization Server,           REST API, event store, projections,
 *   unless another issuer is configured    tunnel gateway (gRPC :9443), agent launcher
 * </pre>
 *
 * Spring Authorization Server is servlet-only and the control plane is WebFlux, so they cannot
 * share a context; siblings under one parent keep one process and one configuration.
 */
public final class PortalApplication {

    private static final Logger log = LoggerFactory.getLogger("rde.portal");

    private PortalApplication() {
    }

    /** The leak detector levels of Netty (Reactor Netty's) and of gRPC's shaded copy, as system properties. */
    static final String LEAK_DETECTION_LEVEL = "io.netty.leakDetection.level";
    static final String GRPC_LEAK_DETECTION_LEVEL = "io.grpc.netty.shaded.io.netty.leakDetection.level";

    public static void main(String[] args) {
        quietLeakDetectors();
        start(args);
    }

    /**
     * Turns off Netty's leak detectors in a running portal (not in tests, which start through
     * {@link #start}) unless a level was set: {@value #LEAK_DETECTION_LEVEL} (or
     * {@code spring.netty.leak-detection}, applied later) for Reactor Netty,
     * {@value #GRPC_LEAK_DETECTION_LEVEL} for the tunnel's gRPC. At their default level they record
     * a stack trace for one buffer in 128: 6% of the tunnel thread's CPU while a bulk preview
     * download went through (session 7), on buffers that are released on every path. Public for
     * the benchmarks that run the portal in their own JVM, so that they measure it as it ships.
     */
    public static void quietLeakDetectors() {
        if (System.getProperty(LEAK_DETECTION_LEVEL) == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (System.getProperty(GRPC_LEAK_DETECTION_LEVEL) == null
                && System.getProperty("io.grpc.netty.shaded.io.netty.leakDetectionLevel") == null) {
            io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(
                    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Starts all contexts; answers the control plane's (tests use it). */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplicationBuilder parent = new SpringApplicationBuilder(ParentConfiguration.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=rde")
                .logStartupInfo(false);
        ConfigurableApplicationContext parentContext = parent.run(args);
        if (embeddedIdentity(parentContext.getEnvironment())) {
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

    /**
     * The embedded identity provider runs unless {@code rde.security.issuer-uri} names another
     * issuer (an external OIDC provider), or {@code rde.identity.embedded} says otherwise.
     */
    static boolean embeddedIdentity(Environment environment) {
        String accepted = trimSlash(environment.getProperty("rde.security.issuer-uri"));
        String embedded = trimSlash(environment.getProperty("rde.identity.issuer"));
        boolean external = accepted != null && !accepted.equals(embedded);
        Boolean configured = environment.getProperty("rde.identity.embedded", Boolean.class);
        if (configured == null) {
            return !external;
        }
        if (configured && external) {
            log.warn("rde.identity.embedded is on, but the portal accepts only tokens of {}: the embedded "
                    + "identity provider's sign-ins will be refused", accepted);
        }
        return configured;
    }

    private static String trimSlash(String uri) {
        return uri == null || !uri.endsWith("/") ? uri : uri.substring(0, uri.length() - 1);
    }
}
