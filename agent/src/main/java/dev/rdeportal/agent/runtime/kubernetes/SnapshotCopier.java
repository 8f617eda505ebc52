package dev.rdeportal.agent.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * Fills a published app's volume with a snapshot of its workspace's files. A seam because the
 * copy runs through two execs, which fabric8's CRUD mock cannot serve.
 */
@FunctionalInterface
interface SnapshotCopier {

    /**
     * Copies {@code /workspace} of the running workspace in {@code workspaceNamespace} into the
     * volume of the published app's pod (labelled {@code podLabel=podLabelValue}) in {@code targetNamespace}.
     * Idempotent: a volume that already holds a complete snapshot is left as it is.
     */
    void copy(KubernetesClient client, String workspaceNamespace, String targetNamespace, String podLabel,
              String podLabelValue, Duration timeout);
}
