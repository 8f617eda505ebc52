package dev.rdeportal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.proto.JoinToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentMainTest {

    private static final String TOKEN = JoinToken.generate("c-1", "ab".repeat(32)).encode();

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new CommandLine(new AgentMain(new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadKubernetesFlagIsAUsageError() {
        int code = run("--gateway", "localhost:8443", "--join-token", TOKEN, "--runtime", "kubernetes",
                "--kube-port-access", "tunnel", "--data-dir", dataDir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).contains("--kube-port-access must be pod-ip or port-forward");
    }

    @Test
    void aMalformedJoinTokenIsAUsageErrorThatDoesNotEchoTheToken() {
        int code = run("--gateway", "localhost:8443", "--join-token", "rde1.c-1.not-a-secret", "--data-dir", dataDir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).contains("malformed join token").doesNotContain("not-a-secret");
        assertThat(stderr().lines()).hasSize(1);
    }

    @Test
    void withoutCredentialOrTokenThereIsNoCaToTrust() {
        int code = run("--gateway", "localhost:8443", "--data-dir", dataDir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).contains("--ca-cert").contains("--join-token");
    }

    @Test
    void gatewayMustBeHostAndPort() {
        assertThat(run("--gateway", "localhost", "--join-token", TOKEN, "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(stderr()).contains("HOST:PORT");
    }

    @Test
    void configParsesIpv6GatewaysAndNeverShowsTheToken() {
        AgentConfig config = AgentConfig.of("[::1]:8443", TOKEN, null, dataDir, null);

        assertThat(config.gatewayHost()).isEqualTo("::1");
        assertThat(config.gatewayPort()).isEqualTo(8443);
        assertThat(config.gateway()).isEqualTo("[::1]:8443");
        assertThat(config.runtime()).isEqualTo(AgentConfig.Runtime.LOCAL);
        assertThat(config.toString()).doesNotContain(JoinToken.parse(TOKEN).secret());
    }

    @Test
    void theLeakDetectorIsOffUnlessALevelWasSet() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        String property = System.getProperty(AgentMain.LEAK_DETECTION_LEVEL);
        try {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            System.setProperty(AgentMain.LEAK_DETECTION_LEVEL, "paranoid");
            AgentMain.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).as("an explicit level is kept").isEqualTo(ResourceLeakDetector.Level.PARANOID);

            System.clearProperty(AgentMain.LEAK_DETECTION_LEVEL);
            AgentMain.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
        } finally {
            if (property == null) {
                System.clearProperty(AgentMain.LEAK_DETECTION_LEVEL);
            } else {
                System.setProperty(AgentMain.LEAK_DETECTION_LEVEL, property);
            }
            ResourceLeakDetector.setLevel(before);
        }
    }
}
