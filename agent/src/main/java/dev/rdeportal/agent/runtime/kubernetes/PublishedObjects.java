package dev.rdeportal.agent.runtime.kubernetes;

import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.AGENT;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.MANAGED_BY;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.WORKSPACE_ID_ANNOTATION;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.labelValue;

import dev.rdeportal.agent.runtime.PublishSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of one published app in the publish namespace, all named by the app's stable name:
 * <pre>
 *   PersistentVolumeClaim &lt;name&gt;   the snapshot (a copy of the workspace's /workspace)
 *   Deployment &lt;name&gt;              init container "receive" waits until the snapshot is complete;
 *                                    container "app" runs the start command in /app
 *   Service &lt;name&gt;                 ClusterIP on the app's port: &lt;name&gt;.&lt;namespace&gt;.svc
 * </pre>
 * Why a copy through the agent rather than a clone: a PVC clone or a VolumeSnapshot stays in the
 * workspace's namespace (cross-namespace data sources are alpha) and snapshots need a CSI driver
 * and CRDs many clusters lack. Instead the published pod starts with an init container that waits
 * for a marker file; the agent streams {@code tar} from the workspace pod into it (two execs) and
 * writes the marker last, so a pod rescheduled later finds a complete snapshot and starts at once,
 * and an interrupted copy is redone rather than taken for complete.
 */
final class PublishedObjects {

    static final String PUBLISH_LABEL = "rde.dev/publish";
    static final String PUBLISH_ID_ANNOTATION = "rde.dev/publish-id";
    /** {@code pending} until the agent has filled the volume, then {@code complete}. */
    static final String SNAPSHOT_ANNOTATION = "rde.dev/snapshot";
    static final String RECEIVER = "receive";
    static final String APP = "app";
    static final String MOUNT = "/app";
    static final String MARKER = MOUNT + "/.rde-snapshot";

    private PublishedObjects() {
    }

    static Map<String, String> labels(PublishSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, AGENT);
        labels.put(PUBLISH_LABEL, labelValue(spec.publishId()));
        labels.put("app.kubernetes.io/name", spec.name());
        return labels;
    }

    private static Map<String, String> annotations(PublishSpec spec) {
        return Map.of(PUBLISH_ID_ANNOTATION, spec.publishId(), WORKSPACE_ID_ANNOTATION, spec.workspaceId());
    }

    /**
     * Volume first, Deployment last so its pod finds the claim.
     *
     * @param image     the workspace's image: the app runs with the tools it was developed with
     * @param resources the workspace container's requests and limits
     * @param storage   the workspace volume's size, so the copy fits
     */
    static List<HasMetadata> all(PublishSpec spec, String namespace, String image, ResourceRequirements resources,
                                 Quantity storage, String storageClass) {
        return List.of(volume(spec, namespace, storage, storageClass), service(spec, namespace),
                deployment(spec, namespace, image, resources));
    }

    static PersistentVolumeClaim volume(PublishSpec spec, String namespace, Quantity storage, String storageClass) {
        PersistentVolumeClaimBuilder pvc = new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(namespace).withLabels(labels(spec))
                .withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", storage)).endResources()
                .endSpec();
        if (!storageClass.isEmpty()) {
            pvc.editSpec().withStorageClassName(storageClass).endSpec();
        }
        return pvc.build();
    }

    static Service service(PublishSpec spec, String namespace) {
        return new ServiceBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(namespace).withLabels(labels(spec))
                .withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of(MANAGED_BY, AGENT, PUBLISH_LABEL, labelValue(spec.publishId())))
                .addNewPort().withName("http").withProtocol("TCP").withPort(spec.port())
                .withTargetPort(new IntOrString(spec.port())).endPort()
                .endSpec()
                .build();
    }

    static Deployment deployment(PublishSpec spec, String namespace, String image, ResourceRequirements resources) {
        Map<String, String> annotations = new LinkedHashMap<>(annotations(spec));
        annotations.put(SNAPSHOT_ANNOTATION, "pending");
        return new DeploymentBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(namespace).withLabels(labels(spec))
                .withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                // One ReadWriteOnce volume: the old pod must let go of it before the new one starts.
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(Map.of(MANAGED_BY, AGENT, PUBLISH_LABEL, labelValue(spec.publishId())))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(spec)).withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .addNewInitContainer()
                .withName(RECEIVER)
                .withImage(image)
                .withCommand("sh", "-c", "until [ -e " + MARKER + " ]; do sleep 1; done")
                .addNewVolumeMount().withName(APP).withMountPath(MOUNT).endVolumeMount()
                .endInitContainer()
                .addNewContainer()
                .withName(APP)
                .withImage(image)
                .withCommand("sh", "-c", spec.startCommand())
                .withWorkingDir(MOUNT)
                .addNewEnv().withName("PORT").withValue(String.valueOf(spec.port())).endEnv()
                .addNewEnv().withName("HOME").withValue(MOUNT).endEnv()
                .addNewPort().withName("http").withContainerPort(spec.port()).withProtocol("TCP").endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(spec.port())).endTcpSocket()
                .withPeriodSeconds(5).endReadinessProbe()
                .withResources(resources)
                .addNewVolumeMount().withName(APP).withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName(APP).withNewPersistentVolumeClaim().withClaimName(spec.name())
                .endPersistentVolumeClaim().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
