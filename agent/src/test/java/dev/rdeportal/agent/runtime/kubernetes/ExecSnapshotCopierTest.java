package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The snapshot copy of a publish as the API server sees it: {@code tar c} in the workspace
 * container, its bytes as the input of {@code tar x} in the published pod's waiting init
 * container, then the marker, and only after both ends succeeded.
 */
@EnableKubernetesMockClient(crud = true)
class ExecSnapshotCopierTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String WS = "rde-ws-w-1";
    private static final String PUB = "rde-published";

    private static Pod receiver(String name, boolean waiting) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(PUB).addToLabels("rde.dev/publish", "p-1").endMetadata()
                .withNewSpec().addNewInitContainer().withName(PublishedObjects.RECEIVER).withImage("busybox").endInitContainer()
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec();
        return waiting
                ? pod.withNewStatus().addNewInitContainerStatus().withName(PublishedObjects.RECEIVER)
                        .withNewState().withNewRunning().endRunning().endState().endInitContainerStatus().endStatus().build()
                : pod.withNewStatus().addNewInitContainerStatus().withName(PublishedObjects.RECEIVER)
                        .withNewState().withNewTerminated().withExitCode(0).endTerminated().endState()
                        .endInitContainerStatus().endStatus().build();
    }

    private static String exec(String namespace, String pod, String container, String query, String... command) {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/exec?");
        for (String part : command) {
            path.append("command=").append(java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20")).append('&');
        }
        return path.append("container=").append(container).append(query).toString();
    }

    @Test
    void theWorkspacesTarBecomesTheInputOfTheReceiversTarAndOnlyThenTheMarkerIsWritten() {
        client.pods().inNamespace(PUB).resource(receiver("shop-1", true)).create();
        server.expect().get().withPath(exec(WS, WorkspaceObjects.POD, WorkspaceObjects.CONTAINER, "&stdout=true",
                        "tar", "cf", "-", "-C", WorkspaceObjects.MOUNT, "."))
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("TAR-BYTES"), new StatusMessage(0))
                .done().once();
        server.expect().get().withPath(exec(PUB, "shop-1", PublishedObjects.RECEIVER, "&stdin=true",
                        "tar", "xf", "-", "-C", PublishedObjects.MOUNT))
                .andUpgradeToWebSocket()
                .open()
                .expect("\u0000TAR-BYTES").andEmit(new StatusMessage(0)).once()
                .done().once();
        server.expect().get().withPath(exec(PUB, "shop-1", PublishedObjects.RECEIVER, "",
                        "touch", PublishedObjects.MARKER))
                .andUpgradeToWebSocket()
                .open(new StatusMessage(0))
                .done().once();

        new ExecSnapshotCopier().copy(client, WS, PUB, "rde.dev/publish", "p-1", Duration.ofSeconds(10));

        assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aPodPastItsReceiverMeansTheSnapshotIsAlreadyThere() {
        client.pods().inNamespace(PUB).resource(receiver("shop-2", false)).create();
        int before = server.getRequestCount();
        new ExecSnapshotCopier().copy(client, WS, PUB, "rde.dev/publish", "p-1", Duration.ofSeconds(5));
        assertThat(server.getRequestCount() - before).as("only the pod list, no exec").isEqualTo(1);
    }

    @Test
    void noPodWaitingForTheSnapshotIsAClearError() {
        assertThatThrownBy(() -> new ExecSnapshotCopier().copy(client, WS, PUB, "rde.dev/publish", "p-9", Duration.ofSeconds(1)))
                .isInstanceOf(WorkspaceRuntimeException.class)
                .hasMessageContaining("no pod of the published app in rde-published was waiting for its snapshot");
    }
}
