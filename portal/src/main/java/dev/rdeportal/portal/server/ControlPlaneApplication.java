package dev.rdeportal.portal.server;

import org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration;
import org.axonframework.springboot.autoconfig.XStreamAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/**
 * The control plane: REST API, event store, projections and the tunnel gateway, on Reactor Netty.
 * Tomcat is on the classpath for the identity provider's context only.
 */
@SpringBootApplication(
        scanBasePackages = {
                "dev.rdeportal.portal.server",
                "dev.rdeportal.command",
                "dev.rdeportal.query",
                "dev.rdeportal.gateway"},
        exclude = {
                TomcatReactiveWebServerAutoConfiguration.class,
                TomcatServletWebServerAutoConfiguration.class,
                UserDetailsServiceAutoConfiguration.class,
                ReactiveUserDetailsServiceAutoConfiguration.class,
                // Jackson is the serializer; XStream is never instantiated.
                XStreamAutoConfiguration.class,
                // No phoning home from a customer's control plane.
                UpdateCheckerAutoConfiguration.class})
@ConfigurationPropertiesScan(basePackages = {"dev.rdeportal.portal.server", "dev.rdeportal.command"})
public class ControlPlaneApplication {
}
