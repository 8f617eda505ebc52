package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The runtime against a real cluster, the way a user meets it: launch, a terminal, a preview, a
 * delete. Runs only when {@code KUBECONFIG} names a cluster (kind, k3d, minikube or a real one);
 * skipped otherwise. It creates one namespace {@code rde-ws-smoke-…} and deletes it again, pulls
 * {@code python:3.12-alpine}, and reaches the pod by port-forward because the test runs outside
 * the cluster. See README, "Install on a Kubernetes cluster".
 */
@Tag("cluster")
@EnabledIfEnvironmentVariable(named = "KUBECONFIG", matches = ".+")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class KubernetesClusterSmokeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String workspaceId = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
    private KubernetesClient client;
    private KubernetesRuntime runtime;

    @BeforeEach
    void open() {
        client = new KubernetesClientBuilder().build();
        runtime = KubernetesRuntime.open(client, new KubernetesRuntimeConfig(KubernetesRuntimeConfig.PortAccess.PORT_FORWARD,
                "rde-system", null, System.getenv().getOrDefault("RDE_SMOKE_STORAGE_CLASS", ""), 500, 256, 1,
                Duration.ofMinutes(3)));
    }

    @AfterEach
    void cleanUp() {
        try {
            runtime.delete(workspaceId);
        } finally {
            runtime.close();
            client.close();
        }
    }

    @Test
    void launchTerminalPreviewAndDelete() throws Exception {
        WorkspaceSpec spec = new WorkspaceSpec(workspaceId, "smoke", "smoke@example.com", "smoke",
                "python:3.12-alpine", 500, 256, 1, List.of(8000), Map.of("GREETING", "hello"),
                "python3 -m http.server $PORT --bind 0.0.0.0");

        WorkspaceState launched = runtime.provision(spec);

        assertThat(launched.phase()).as("launch: %s", launched.reason()).isEqualTo(WorkspacePhase.RUNNING);

        try (TerminalProcess terminal = runtime.openTerminal(workspaceId, "echo \"rde-smoke-$((6*7)) $GREETING\"", 80, 24)) {
            assertThat(readUntil(terminal.output(), "rde-smoke-42 hello")).contains("rde-smoke-42 hello");
            assertThat(terminal.waitFor(Duration.ofSeconds(30))).isEqualTo(OptionalInt.of(0));
        }

        InetSocketAddress address = runtime.portAddress(workspaceId, 8000).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        runtime.delete(workspaceId);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> runtime.state(workspaceId).phase() == WorkspacePhase.MISSING);
    }

    private static String readUntil(InputStream in, String wanted) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(wanted)) {
            int n = in.read(buffer);
            assertThat(n).as("terminal output ended; so far: %s", seen).isNotNegative();
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}
