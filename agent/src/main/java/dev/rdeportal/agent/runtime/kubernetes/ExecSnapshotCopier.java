package dev.rdeportal.agent.runtime.kubernetes;

import static dev.rdeportal.agent.runtime.kubernetes.PublishedObjects.MARKER;
import static dev.rdeportal.agent.runtime.kubernetes.PublishedObjects.MOUNT;
import static dev.rdeportal.agent.runtime.kubernetes.PublishedObjects.RECEIVER;

import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy as two execs joined by the agent, like {@code kubectl cp}: {@code tar c} in the
 * workspace container, its output streamed as the input of {@code tar x} in the published pod's
 * waiting init container. The marker that lets the pod go on is written by a third exec, only
 * after both ends reported success, so a broken stream never looks like a complete snapshot. The
 * bytes stay inside the cluster's API path; nothing is written to the agent's disk.
 */
final class ExecSnapshotCopier implements SnapshotCopier {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.kubernetes.publish");
    /** A workspace of several GiB over the API server takes minutes; beyond this something is stuck. */
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);

    @Override
    public void copy(KubernetesClient client, String workspaceNamespace, String targetNamespace, String podLabel,
                     String podLabelValue, Duration timeout) {
        Optional<Pod> receiver = awaitReceiver(client, targetNamespace, podLabel, podLabelValue, timeout);
        if (receiver.isEmpty()) {
            log.info("published app {}: snapshot already complete", podLabelValue);
            return;
        }
        String pod = receiver.get().getMetadata().getName();
        try (ExecWatch source = client.pods().inNamespace(workspaceNamespace).withName(WorkspaceObjects.POD)
                .inContainer(WorkspaceObjects.CONTAINER)
                .redirectingOutput()
                .exec("tar", "cf", "-", "-C", WorkspaceObjects.MOUNT, ".");
             ExecWatch sink = client.pods().inNamespace(targetNamespace).withName(pod).inContainer(RECEIVER)
                     .readingInput(source.getOutput())
                     .exec("tar", "xf", "-", "-C", MOUNT)) {
            int received = exitCode(sink, COPY_TIMEOUT, "tar x in " + targetNamespace + "/" + pod);
            int sent = exitCode(source, Duration.ofSeconds(30), "tar c in " + workspaceNamespace);
            if (sent != 0 || received != 0) {
                throw new WorkspaceRuntimeException("snapshot copy failed: tar c exited " + sent + ", tar x exited " + received);
            }
        }
        try (ExecWatch marker = client.pods().inNamespace(targetNamespace).withName(pod).inContainer(RECEIVER)
                .exec("touch", MARKER)) {
            int code = exitCode(marker, Duration.ofSeconds(30), "mark the snapshot complete");
            if (code != 0) {
                throw new WorkspaceRuntimeException("snapshot copy: marking it complete exited " + code);
            }
        }
        log.info("published app {}: snapshot copied from {} into {}/{}", podLabelValue, workspaceNamespace, targetNamespace, pod);
    }

    /** The pod whose init container waits for the snapshot; empty once a pod is past it. */
    private static Optional<Pod> awaitReceiver(KubernetesClient client, String namespace, String label, String value,
                                               Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Pod> pods = client.pods().inNamespace(namespace).withLabel(label, value).list().getItems();
            for (Pod pod : pods) {
                if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                for (ContainerStatus status : nullSafe(pod.getStatus().getInitContainerStatuses())) {
                    if (!RECEIVER.equals(status.getName()) || status.getState() == null) {
                        continue;
                    }
                    if (status.getState().getRunning() != null) {
                        return Optional.of(pod);
                    }
                    if (status.getState().getTerminated() != null && status.getState().getTerminated().getExitCode() == 0) {
                        return Optional.empty();
                    }
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new WorkspaceRuntimeException("snapshot copy: no pod of the published app in " + namespace
                        + " was waiting for its snapshot after " + timeout + " (is it scheduled? kubectl -n " + namespace
                        + " describe pods -l " + label + "=" + value + ")");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkspaceRuntimeException("snapshot copy: interrupted while waiting for the published pod");
            }
        }
    }

    private static int exitCode(ExecWatch watch, Duration timeout, String step) {
        try {
            Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code == null ? -1 : code;
        } catch (TimeoutException e) {
            throw new WorkspaceRuntimeException("snapshot copy: " + step + " did not finish within " + timeout);
        } catch (ExecutionException e) {
            throw new WorkspaceRuntimeException("snapshot copy: " + step + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceRuntimeException("snapshot copy: " + step + ": interrupted");
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
