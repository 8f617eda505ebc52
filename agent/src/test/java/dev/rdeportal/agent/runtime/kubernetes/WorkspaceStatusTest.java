package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

class WorkspaceStatusTest {

    private static final Namespace NS = new NamespaceBuilder().withNewMetadata().withName("rde-ws-w-1").endMetadata().build();

    @Test
    void anImagePullBackOffIsAFailureNamingTheImage() {
        WorkspaceStatus status = WorkspaceStatus.of(NS, set(1, 0),
                pod("rde-ws-w-1", "ImagePullBackOff", "Back-off pulling image \"registry.example/x:1\""));

        assertThat(status.phase()).isEqualTo(WorkspacePhase.FAILED);
        assertThat(status.settled()).isTrue();
        assertThat(status.reason()).startsWith("image registry.example/x:1 cannot be pulled: Back-off pulling image");
    }

    @Test
    void aCrashLoopIsAFailurePointingAtTheStartCommandAndItsLogs() {
        WorkspaceStatus status = WorkspaceStatus.of(NS, set(1, 0), pod("rde-ws-w-1", "CrashLoopBackOff", "back-off 5m0s"));

        assertThat(status.phase()).isEqualTo(WorkspacePhase.FAILED);
        assertThat(status.reason()).contains("start command keeps exiting", "kubectl logs -n rde-ws-w-1 workspace-0");
    }

    @Test
    void aPodStillCreatingIsNotSettled() {
        WorkspaceStatus status = WorkspaceStatus.of(NS, set(1, 0), pod("rde-ws-w-1", "ContainerCreating", ""));

        assertThat(status.settled()).isFalse();
        assertThat(status.phase()).isNotEqualTo(WorkspacePhase.RUNNING);
    }

    @Test
    void readyReplicaIsRunningAndZeroReplicasIsStoppedAndNoNamespaceIsMissing() {
        assertThat(WorkspaceStatus.of(NS, set(1, 1), null).phase()).isEqualTo(WorkspacePhase.RUNNING);
        assertThat(WorkspaceStatus.of(NS, set(0, 0), null).phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(WorkspaceStatus.of(null, null, null).phase()).isEqualTo(WorkspacePhase.MISSING);
    }

    static StatefulSet set(int replicas, int ready) {
        return new StatefulSetBuilder().withNewMetadata().withName("workspace").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(ready).endStatus()
                .build();
    }

    static Pod pod(String namespace, String waitingReason, String message) {
        return pod(namespace, "registry.example/x:1", waitingReason, message);
    }

    static Pod pod(String namespace, String image, String waitingReason, String message) {
        return new PodBuilder()
                .withNewMetadata().withName("workspace-0").withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "rde-agent")
                .addToAnnotations("rde.dev/workspace-id", "w-1").endMetadata()
                .withNewStatus().withPhase("Pending")
                .addNewContainerStatus().withName("workspace").withImage(image).withRestartCount(3)
                .withNewState().withNewWaiting().withReason(waitingReason).withMessage(message).endWaiting().endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
