package dev.rdeportal.agent.runtime.kubernetes;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a workspace's objects say about it, as the SPI's phases: a pure function of the namespace,
 * the StatefulSet and its pod, so the informer, inventory and the wait after a start agree, and
 * tests need no cluster.
 *
 * @param settled false while the pod is on its way up (scheduled, pulling, starting): nothing to
 *                report yet; a start waits for a settled observation
 */
record WorkspaceStatus(WorkspacePhase phase, String reason, boolean settled) {

    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable");
    private static final Set<String> CONFIG_FAILURES = Set.of("CreateContainerConfigError", "CreateContainerError",
            "RunContainerError");

    static WorkspaceStatus of(Namespace namespace, StatefulSet statefulSet, Pod pod) {
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null) {
            return new WorkspaceStatus(WorkspacePhase.MISSING, "", true);
        }
        if (statefulSet == null) {
            // Provisioning creates the StatefulSet last, so a namespace without one is a provision
            // that was interrupted; the control plane re-sends it.
            return new WorkspaceStatus(WorkspacePhase.STOPPED, "workspace is incomplete: no StatefulSet in "
                    + namespace.getMetadata().getName(), true);
        }
        Integer desired = statefulSet.getSpec().getReplicas();
        if (desired != null && desired == 0) {
            return new WorkspaceStatus(WorkspacePhase.STOPPED, "", true);
        }
        Optional<WorkspaceStatus> failure = failure(pod);
        if (failure.isPresent()) {
            return failure.get();
        }
        Integer ready = statefulSet.getStatus() == null ? null : statefulSet.getStatus().getReadyReplicas();
        if (ready != null && ready >= 1 && (pod == null || isReady(pod))) {
            return new WorkspaceStatus(WorkspacePhase.RUNNING, "", true);
        }
        return new WorkspaceStatus(WorkspacePhase.STOPPED, "starting: " + progress(pod), false);
    }

    /** A reason the user can act on, for the states a pod does not leave by itself. */
    static Optional<WorkspaceStatus> failure(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        for (PodCondition condition : nullSafe(pod.getStatus().getConditions())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                // Not settled: a cluster autoscaler may still add a node; a start that times out says why.
                return Optional.of(new WorkspaceStatus(WorkspacePhase.STOPPED,
                        "no node can run the workspace yet: " + orEmpty(condition.getMessage()), false));
            }
        }
        for (ContainerStatus container : nullSafe(pod.getStatus().getContainerStatuses())) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting == null || waiting.getReason() == null) {
                continue;
            }
            String reason = waiting.getReason();
            String message = orEmpty(waiting.getMessage());
            if (PULL_FAILURES.contains(reason)) {
                return failed("image " + container.getImage() + " cannot be pulled: " + message
                        + " (check the blueprint's image name and the cluster's access to its registry)");
            }
            if ("CrashLoopBackOff".equals(reason)) {
                return failed("the start command keeps exiting" + lastExit(container) + ", restarted "
                        + container.getRestartCount() + " times; fix the blueprint's start command or look at the"
                        + " workspace's logs (kubectl logs -n " + pod.getMetadata().getNamespace() + " "
                        + pod.getMetadata().getName() + " --previous)");
            }
            if (CONFIG_FAILURES.contains(reason)) {
                return failed("the workspace container cannot be created: " + message);
            }
        }
        return Optional.empty();
    }

    private static Optional<WorkspaceStatus> failed(String reason) {
        return Optional.of(new WorkspaceStatus(WorkspacePhase.FAILED, reason, true));
    }

    private static String lastExit(ContainerStatus container) {
        ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
        if (last == null) {
            return "";
        }
        return " (last exit code " + last.getExitCode()
                + (last.getReason() == null ? "" : ", " + last.getReason()) + ")";
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && nullSafe(pod.getStatus().getConditions()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String progress(Pod pod) {
        if (pod == null) {
            return "waiting for the pod to be created";
        }
        if (pod.getStatus() == null) {
            return "pod created";
        }
        for (ContainerStatus container : nullSafe(pod.getStatus().getContainerStatuses())) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && waiting.getReason() != null) {
                return "pod " + orEmpty(pod.getStatus().getPhase()) + " (" + waiting.getReason() + ")";
            }
        }
        return "pod " + orEmpty(pod.getStatus().getPhase());
    }

    private static <T> java.util.List<T> nullSafe(java.util.List<T> list) {
        return list == null ? java.util.List.of() : list;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
