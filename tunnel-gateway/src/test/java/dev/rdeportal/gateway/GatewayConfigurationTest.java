package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.rdeportal.proto.JoinToken;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class GatewayConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withUserConfiguration(GatewayConfiguration.class)
                .withBean(CommandGateway.class, () -> mock(CommandGateway.class))
                .withBean(QueryGateway.class, () -> mock(QueryGateway.class))
                .withBean(EventGateway.class, () -> mock(EventGateway.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    }

    @Test
    void startsATlsGatewayFromPropertiesAndIssuesTokensPinningItsCa() {
        runner().withPropertyValues("rde.gateway.port=0", "rde.gateway.bind-address=127.0.0.1",
                        "rde.gateway.tls.data-dir=" + dir, "rde.gateway.heartbeat-interval=5s",
                        "rde.gateway.tls.hostnames=localhost,gw.internal")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    GatewayProperties properties = context.getBean(GatewayProperties.class);
                    assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.maxConnectionAge()).isEqualTo(Duration.ofHours(24));
                    assertThat(properties.tls().hostnames()).containsExactly("localhost", "gw.internal");

                    TunnelServer server = context.getBean(TunnelServer.class);
                    assertThat(server.isRunning()).isTrue();
                    assertThat(server.port()).isPositive();

                    IssuedJoinToken issued = context.getBean(JoinTokenIssuer.class).issue("c1");
                    JoinToken token = JoinToken.parse(issued.token());
                    assertThat(token.caFingerprint()).isEqualTo(context.getBean(TlsMaterial.class).caFingerprint());
                    assertThat(issued.secretHash()).isEqualTo(token.secretHash());
                    assertThat(issued.toString()).doesNotContain(token.secret());
                    assertThat(context.getBean(AgentRegistry.class).connectedAgents()).isEmpty();
                });
    }

    @Test
    void invalidSettingFailsTheStartNamingIt() {
        runner().withPropertyValues("rde.gateway.port=70000", "rde.gateway.tls.data-dir=" + dir)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("rde.gateway.port"));
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        GatewayProperties defaults = GatewayProperties.defaults();

        assertThat(defaults.port()).isEqualTo(9443);
        assertThat(defaults.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(defaults.tls().dataDir()).isEqualTo(Path.of("data", "tls"));
        assertThat(defaults.tls().hostnames()).containsExactly("localhost", "127.0.0.1", "::1");
        assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.keepAliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxConnectionAgeGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.maxInboundMessageSize().toBytes()).isEqualTo(4L * 1024 * 1024);
    }
}
