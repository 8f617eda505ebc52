package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code infra/} rendered by {@code kubectl kustomize}, checked for what operators rely on. */
class InfraManifestsTest {

    private static List<HasMetadata> objects;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        Path infra = Path.of("..", "infra").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(infra), "no infra/ directory beside the agent module");
        assumeTrue(onPath("kubectl"), "kubectl is not installed (Debian: apt-get install kubernetes-client); "
                + "infra/ manifests are not checked");
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", infra.toString()).redirectErrorStream(false).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize infra: %s", err).isZero();
        // Parsing only: the client never connects.
        try (KubernetesClient offline = new KubernetesClientBuilder().build()) {
            objects = offline.load(new ByteArrayInputStream(out)).items();
        }
    }

    @Test
    void thePortalIsProbedOnItsHealthGroupsAndGetsItsSecretsFromASecret() {
        Deployment portal = find(Deployment.class, "rde-portal");
        var container = portal.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("RDE_SECRETS_MASTER_KEY")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("rde-portal-secrets"));
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("RDE_DATABASE_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull());
        assertThat(portal.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(find(ServiceAccount.class, "rde-portal").getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theAgentRunsOnceWithTheKubernetesRuntimeAndItsJoinTokenFromASecret() {
        Deployment agent = find(Deployment.class, "rde-agent");
        var container = agent.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(agent.getSpec().getReplicas()).isEqualTo(1);
        assertThat(container.getArgs()).containsExactly("--runtime", "kubernetes",
                "--credential-store", "secret:rde-system/rde-agent-credential");
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("RDE_AGENT_JOIN_TOKEN")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("rde-agent-join"));
        assertThat(agent.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("rde-agent");
    }

    @Test
    void theAgentsClusterRoleGrantsExactlyWhatTheRuntimeUses() {
        Map<String, String> grants = new TreeMap<>();
        for (PolicyRule rule : find(ClusterRole.class, "rde-agent").getRules()) {
            for (String resource : rule.getResources()) {
                grants.put(resource, String.join(",", new TreeSet<>(rule.getVerbs())));
            }
        }

        io.fabric8.kubernetes.api.model.rbac.Role own = find(io.fabric8.kubernetes.api.model.rbac.Role.class, "rde-agent-credential");
        assertThat(own.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResourceNames()).containsExactly("rde-agent-credential");
            assertThat(rule.getVerbs()).containsExactly("get");
        });
        assertThat(grants).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("namespaces", "create,delete,get,list,patch"),
                Map.entry("statefulsets", "create,get,list,patch,watch"),
                Map.entry("pods", "get,list,watch"),
                Map.entry("pods/exec", "create,get"),
                Map.entry("pods/portforward", "create,get"),
                Map.entry("persistentvolumeclaims", "create,patch"),
                Map.entry("secrets", "create,patch"),
                Map.entry("resourcequotas", "create,patch"),
                Map.entry("limitranges", "create,patch"),
                Map.entry("serviceaccounts", "create,patch"),
                Map.entry("networkpolicies", "create,patch")));
    }

    private static <T extends HasMetadata> T find(Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in infra/"));
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
