package dev.rdeportal.agent.runtime.kubernetes;

import dev.rdeportal.agent.runtime.WorkspaceSpec;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects that make up one workspace, built from its spec as plain values (no API
 * calls), in the order they must be applied: the namespace first, the StatefulSet last so its pod
 * finds quota, volume, secret and service account in place.
 */
final class WorkspaceObjects {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String AGENT = "rde-agent";
    static final String WORKSPACE_LABEL = "rde.dev/workspace";
    static final String OWNER_LABEL = "rde.dev/owner";
    static final String BLUEPRINT_LABEL = "rde.dev/blueprint";
    /** Label values cannot hold every id or any email; the exact values live in annotations. */
    static final String WORKSPACE_ID_ANNOTATION = "rde.dev/workspace-id";
    static final String OWNER_ANNOTATION = "rde.dev/owner-email";

    static final String NAME = "workspace";
    static final String ENV_SECRET = "workspace-env";
    static final String POD = NAME + "-0";
    static final String CONTAINER = "workspace";
    static final String MOUNT = "/workspace";

    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern NAMESPACE_SUFFIX = Pattern.compile("[a-z0-9]([-a-z0-9]{0,54}[a-z0-9])?");

    private WorkspaceObjects() {
    }

    /**
     * {@code rde-ws-<workspaceId>}. Portal ids are lowercase UUIDs and fit as they are; an id that
     * cannot be a namespace name (uppercase, '_', too long) gets a stable hashed name instead, so
     * two ids never share a namespace.
     */
    static String namespace(String workspaceId) {
        WorkspaceSpec.requireValidId(workspaceId);
        if (NAMESPACE_SUFFIX.matcher(workspaceId).matches()) {
            return "rde-ws-" + workspaceId;
        }
        String readable = workspaceId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        readable = readable.substring(0, Math.min(readable.length(), 40)).replaceAll("-+$", "");
        return "rde-ws-" + (readable.isEmpty() ? "" : readable + "-") + shortHash(workspaceId);
    }

    /** A label value: unsafe characters become '_', cut to 63; the exact value is in an annotation. */
    static String labelValue(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (LABEL_VALUE.matcher(value).matches()) {
            return value;
        }
        String cleaned = value.replaceAll("[^-A-Za-z0-9_.]", "_");
        cleaned = cleaned.substring(0, Math.min(cleaned.length(), 63));
        cleaned = cleaned.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        return cleaned;
    }

    static Map<String, String> labels(WorkspaceSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, AGENT);
        labels.put(WORKSPACE_LABEL, labelValue(spec.workspaceId()));
        labels.put(OWNER_LABEL, labelValue(spec.owner()));
        labels.put(BLUEPRINT_LABEL, labelValue(spec.blueprintId()));
        return labels;
    }

    /** What the pod carries: enough for the informer's selector and to find the workspace again. */
    private static Map<String, String> podLabels(WorkspaceSpec spec) {
        return Map.of(MANAGED_BY, AGENT, WORKSPACE_LABEL, labelValue(spec.workspaceId()),
                "app.kubernetes.io/name", "rde-workspace");
    }

    private static Map<String, String> annotations(WorkspaceSpec spec) {
        return Map.of(WORKSPACE_ID_ANNOTATION, spec.workspaceId(), OWNER_ANNOTATION, spec.owner());
    }

    static Namespace namespaceObject(WorkspaceSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>(labels(spec));
        // The agent writes the pod spec, but a user with access to the namespace must not be able to
        // add a privileged or host-mounting pod beside it.
        labels.put("pod-security.kubernetes.io/enforce", "baseline");
        return new NamespaceBuilder()
                .withNewMetadata().withName(namespace(spec.workspaceId())).withLabels(labels)
                .withAnnotations(annotations(spec)).endMetadata()
                .build();
    }

    /** Everything inside the namespace, StatefulSet last. */
    static List<HasMetadata> namespaced(WorkspaceSpec spec, KubernetesRuntimeConfig config, int replicas) {
        Limits limits = Limits.of(spec, config);
        return List.of(
                quota(spec, limits), limitRange(spec, limits), volume(spec, limits, config), networkPolicy(spec, config),
                serviceAccount(spec), envSecret(spec), statefulSet(spec, limits, replicas));
    }

    /** The blueprint's figures, or the configured defaults where it names none. */
    record Limits(Quantity cpu, Quantity memory, Quantity storage) {
        static Limits of(WorkspaceSpec spec, KubernetesRuntimeConfig config) {
            int cpu = spec.cpuMillis() > 0 ? spec.cpuMillis() : config.defaultCpuMillis();
            int memory = spec.memoryMib() > 0 ? spec.memoryMib() : config.defaultMemoryMib();
            int storage = spec.storageGib() > 0 ? spec.storageGib() : config.defaultStorageGib();
            return new Limits(new Quantity(cpu + "m"), new Quantity(memory + "Mi"), new Quantity(storage + "Gi"));
        }

        Map<String, Quantity> compute() {
            return Map.of("cpu", cpu, "memory", memory);
        }
    }

    /**
     * The namespace may hold exactly one workspace's worth: whatever else gets created in it (a
     * second pod, another volume) is refused by the API server rather than taking from the
     * cluster. Two pods are allowed because a replaced pod may still be terminating.
     */
    private static ResourceQuota quota(WorkspaceSpec spec, Limits limits) {
        Map<String, Quantity> hard = new TreeMap<>();
        hard.put("requests.cpu", limits.cpu());
        hard.put("limits.cpu", limits.cpu());
        hard.put("requests.memory", limits.memory());
        hard.put("limits.memory", limits.memory());
        hard.put("requests.storage", limits.storage());
        hard.put("persistentvolumeclaims", new Quantity("1"));
        hard.put("pods", new Quantity("2"));
        return new ResourceQuotaBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withNewSpec().withHard(hard).endSpec()
                .build();
    }

    /** Defaults for any container that names no resources, capped at the blueprint's figures. */
    private static LimitRange limitRange(WorkspaceSpec spec, Limits limits) {
        return new LimitRangeBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withNewSpec().addNewLimit()
                .withType("Container")
                .withDefault(limits.compute())
                .withDefaultRequest(limits.compute())
                .withMax(limits.compute())
                .endLimit().endSpec()
                .build();
    }

    private static PersistentVolumeClaim volume(WorkspaceSpec spec, Limits limits, KubernetesRuntimeConfig config) {
        PersistentVolumeClaimBuilder pvc = new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", limits.storage())).endResources()
                .endSpec();
        if (!config.storageClass().isEmpty()) {
            pvc.editSpec().withStorageClassName(config.storageClass()).endSpec();
        }
        return pvc.build();
    }

    /**
     * Default-deny ingress, except the agent's own pods on the blueprint's ports: previews reach the
     * pod through the agent (pod IP), and nothing else may. Terminals and port-forwards go through
     * the kubelet, which network policies do not govern.
     */
    private static NetworkPolicy networkPolicy(WorkspaceSpec spec, KubernetesRuntimeConfig config) {
        NetworkPolicyBuilder policy = new NetworkPolicyBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withNewSpec()
                .withNewPodSelector().endPodSelector()
                .withPolicyTypes("Ingress")
                .endSpec();
        if (!spec.ports().isEmpty()) {
            policy.editSpec().addNewIngress()
                    .addNewFrom()
                    .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", config.agentNamespace()).endNamespaceSelector()
                    .withNewPodSelector().withMatchLabels(config.agentPodLabels()).endPodSelector()
                    .endFrom()
                    .withPorts(spec.ports().stream()
                            .map(p -> new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(p)).build())
                            .toList())
                    .endIngress().endSpec();
        }
        return policy.build();
    }

    /** The pod's identity: no API token in the workspace, so user code cannot talk to the cluster. */
    private static ServiceAccount serviceAccount(WorkspaceSpec spec) {
        return new ServiceAccountBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }

    /**
     * The workspace environment (LLM keys among it) as a Secret, not inline in the pod spec, so it
     * shows in no pod description and goes with the namespace. A changed environment reaches the
     * pod at its next start; the running pod is not restarted behind the user's back.
     */
    private static Secret envSecret(WorkspaceSpec spec) {
        return new SecretBuilder()
                .withNewMetadata().withName(ENV_SECRET).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec)).endMetadata()
                .withType("Opaque")
                .withData(encoded(spec.env()))
                .build();
    }

    private static StatefulSet statefulSet(WorkspaceSpec spec, Limits limits, int replicas) {
        Map<String, String> podLabels = podLabels(spec);
        return new StatefulSetBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace(spec.workspaceId())).withLabels(labels(spec))
                .withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(NAME)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(annotations(spec)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(NAME)
                .withAutomountServiceAccountToken(false)
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(spec.image())
                .withCommand("sh", "-c", spec.shellOnly() ? "sleep infinity" : spec.startCommand())
                .withWorkingDir(MOUNT)
                .withEnv(portEnv(spec))
                .addNewEnvFrom().withNewSecretRef().withName(ENV_SECRET).endSecretRef().endEnvFrom()
                .withPorts(spec.ports().stream()
                        .map(p -> new ContainerPortBuilder().withContainerPort(p).withProtocol("TCP").build())
                        .toList())
                .withNewResources().withRequests(limits.compute()).withLimits(limits.compute()).endResources()
                .addNewVolumeMount().withName(NAME).withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName(NAME).withNewPersistentVolumeClaim().withClaimName(NAME).endPersistentVolumeClaim().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** In a pod the app listens on its own port, so PORT and RDE_PORT_<p> are the blueprint's. */
    private static List<EnvVar> portEnv(WorkspaceSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        if (!spec.ports().isEmpty()) {
            env.add(new EnvVar("PORT", String.valueOf(spec.ports().get(0)), null));
        }
        for (int port : spec.ports()) {
            env.add(new EnvVar("RDE_PORT_" + port, String.valueOf(port), null));
        }
        return env;
    }

    private static Map<String, String> encoded(Map<String, String> env) {
        Map<String, String> data = new TreeMap<>();
        env.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return data;
    }

    private static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
