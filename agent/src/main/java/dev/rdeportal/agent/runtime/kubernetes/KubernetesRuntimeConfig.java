package dev.rdeportal.agent.runtime.kubernetes;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the Kubernetes runtime.
 *
 * @param portAccess        how the agent reaches a workspace's app port (previews)
 * @param agentNamespace    namespace the agent runs in: workspaces admit ingress from its pods only
 * @param agentPodLabels    labels of the agent's pods, for the same ingress rule
 * @param storageClass      storage class of workspace volumes; empty for the cluster's default
 * @param defaultCpuMillis  CPU limit when the blueprint names none (a quota needs a figure)
 * @param defaultMemoryMib  memory limit when the blueprint names none
 * @param defaultStorageGib volume size when the blueprint names none
 * @param readyTimeout      how long provision and start wait for the pod to be ready or to fail
 *                          for a reason the user can act on; zero answers at once with what is seen
 * @param publishNamespace  namespace of published apps ({@code rde-published}); created by the
 *                          installation (infra/agent), which also grants the agent its rights there
 */
public record KubernetesRuntimeConfig(PortAccess portAccess, String agentNamespace, Map<String, String> agentPodLabels,
                                      String storageClass, int defaultCpuMillis, int defaultMemoryMib,
                                      int defaultStorageGib, Duration readyTimeout, String publishNamespace) {

    /** Where previews reach a pod: its IP (the agent runs in the cluster) or a port-forward. */
    public enum PortAccess {
        POD_IP, PORT_FORWARD;

        public static PortAccess parse(String text) {
            String value = text == null || text.isBlank() ? "pod-ip" : text.strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "pod-ip" -> POD_IP;
                case "port-forward" -> PORT_FORWARD;
                default -> throw new IllegalArgumentException(
                        "--kube-port-access must be pod-ip or port-forward, got '" + text + "'");
            };
        }
    }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public KubernetesRuntimeConfig {
        portAccess = portAccess == null ? PortAccess.POD_IP : portAccess;
        agentNamespace = agentNamespace == null || agentNamespace.isBlank() ? "rde-system" : agentNamespace.strip();
        if (!DNS_LABEL.matcher(agentNamespace).matches()) {
            throw new IllegalArgumentException("agent namespace '" + agentNamespace + "' is not a valid namespace name");
        }
        agentPodLabels = agentPodLabels == null || agentPodLabels.isEmpty()
                ? Map.of("app.kubernetes.io/name", "rde-agent") : Map.copyOf(agentPodLabels);
        storageClass = storageClass == null ? "" : storageClass.strip();
        defaultCpuMillis = positiveOr(defaultCpuMillis, 1000, "defaultCpuMillis");
        defaultMemoryMib = positiveOr(defaultMemoryMib, 2048, "defaultMemoryMib");
        defaultStorageGib = positiveOr(defaultStorageGib, 10, "defaultStorageGib");
        readyTimeout = readyTimeout == null ? Duration.ofSeconds(100) : readyTimeout;
        if (readyTimeout.isNegative()) {
            throw new IllegalArgumentException("readyTimeout must not be negative, got " + readyTimeout);
        }
        publishNamespace = publishNamespace == null || publishNamespace.isBlank() ? "rde-published" : publishNamespace.strip();
        if (!DNS_LABEL.matcher(publishNamespace).matches()) {
            throw new IllegalArgumentException("publish namespace '" + publishNamespace + "' is not a valid namespace name");
        }
        Objects.requireNonNull(agentPodLabels);
    }

    /** Published apps in the default namespace, {@code rde-published}. */
    public KubernetesRuntimeConfig(PortAccess portAccess, String agentNamespace, Map<String, String> agentPodLabels,
                                   String storageClass, int defaultCpuMillis, int defaultMemoryMib,
                                   int defaultStorageGib, Duration readyTimeout) {
        this(portAccess, agentNamespace, agentPodLabels, storageClass, defaultCpuMillis, defaultMemoryMib,
                defaultStorageGib, readyTimeout, null);
    }

    /**
     * Defaults for an agent in namespace {@code agentNamespace}. The ready timeout stays under the
     * portal's default operation timeout (2m), so a slow pull answers with the pod's status instead
     * of the portal giving up without a reason.
     */
    public static KubernetesRuntimeConfig defaults(PortAccess portAccess, String agentNamespace) {
        return new KubernetesRuntimeConfig(portAccess, agentNamespace, null, null, 0, 0, 0, null, null);
    }

    KubernetesRuntimeConfig withReadyTimeout(Duration timeout) {
        return new KubernetesRuntimeConfig(portAccess, agentNamespace, agentPodLabels, storageClass, defaultCpuMillis,
                defaultMemoryMib, defaultStorageGib, timeout, publishNamespace);
    }

    private static int positiveOr(int value, int fallback, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value == 0 ? fallback : value;
    }
}
