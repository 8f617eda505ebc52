package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code infra/} rendered by {@code kubectl kustomize}, checked for what operators rely on. */
class InfraManifestsTest {

    private static List<HasMetadata> objects;
    private static Path infra;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        infra = Path.of("..", "infra").toAbsolutePath().normalize();
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
    void everyRenderedDocumentIsATypedObjectOfAKnownKind() {
        assertThat(objects).isNotEmpty().noneMatch(GenericKubernetesResource.class::isInstance);
        assertThat(objects).extracting(o -> o.getClass().getSimpleName()).contains("Deployment", "Service",
                "Ingress", "PodDisruptionBudget", "ClusterRole", "Role", "Namespace");
    }

    @Test
    void thePortalIsServedThroughAServiceAndAnIngressWithLongIdleTimeoutsForWebSockets() {
        Deployment portal = find(Deployment.class, "rde-portal");
        Map<String, String> podLabels = portal.getSpec().getTemplate().getMetadata().getLabels();

        Service service = find(Service.class, "rde-portal");
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactlyInAnyOrder("http:8080", "gateway:9443");

        Ingress ingress = find(Ingress.class, "rde-portal");
        // Terminals are WebSockets idle for long stretches: the controllers' 60 s defaults would cut them.
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600")
                .containsEntry("haproxy.org/timeout-tunnel", "3600s")
                .containsEntry("alb.ingress.kubernetes.io/load-balancer-attributes", "idle_timeout.timeout_seconds=3600");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(rule.getHttp().getPaths())
                .singleElement().satisfies(path -> {
                    assertThat(path.getBackend().getService().getName()).isEqualTo("rde-portal");
                    assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
                }));

        PodDisruptionBudget pdb = find(PodDisruptionBudget.class, "rde-portal");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(portal.getSpec().getReplicas()).as("a PDB of 1 needs a second replica to allow a drain")
                .isGreaterThan(1);
    }

    @Test
    void theDatabaseUrlAndTheMasterKeyComeFromTheSecretTheTemplateDescribes() throws IOException {
        var container = find(Deployment.class, "rde-portal").getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> refs = new TreeMap<>();
        container.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> refs.put(e.getName(), e.getValueFrom().getSecretKeyRef().getName() + "/"
                        + e.getValueFrom().getSecretKeyRef().getKey()));

        assertThat(refs).containsEntry("RDE_DATABASE_URL", "rde-portal-secrets/database-url")
                .containsEntry("RDE_DATABASE_PASSWORD", "rde-portal-secrets/database-password")
                .containsEntry("RDE_SECRETS_MASTER_KEY", "rde-portal-secrets/secrets-master-key");
        // The generator appends a content hash to the ConfigMap's name.
        ConfigMap config = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().startsWith("rde-portal-config")).findFirst().orElseThrow();
        assertThat(config.getData()).doesNotContainKeys("RDE_DATABASE_URL",
                "RDE_DATABASE_PASSWORD", "RDE_SECRETS_MASTER_KEY");
        assertThat(objects).as("placeholder secrets are never applied by kubectl apply -k").noneMatch(Secret.class::isInstance);

        Secret portalTemplate = template("portal/secrets.example.yaml");
        assertThat(portalTemplate.getMetadata().getName()).isEqualTo("rde-portal-secrets");
        assertThat(portalTemplate.getMetadata().getNamespace()).isEqualTo("rde");
        assertThat(portalTemplate.getStringData()).containsOnlyKeys("database-url", "database-password", "secrets-master-key");
        Secret joinTemplate = template("agent/join-secret.example.yaml");
        assertThat(joinTemplate.getMetadata().getName()).isEqualTo("rde-agent-join");
        assertThat(joinTemplate.getMetadata().getNamespace()).isEqualTo("rde-system");
        assertThat(joinTemplate.getStringData()).containsOnlyKeys("token");
    }

    /**
     * Least privilege, exactly: every (apiGroup, resource, verb) the agent holds, per role and where
     * it applies. A grant added to the manifests without a reason in the runtime fails here.
     */
    @Test
    void theAgentIsGrantedExactlyWhatTheRuntimeUsesAndNothingElse() {
        assertThat(grants(find(ClusterRole.class, "rde-agent").getRules())).containsExactlyInAnyOrder(
                "/namespaces:create", "/namespaces:delete", "/namespaces:get", "/namespaces:list", "/namespaces:patch",
                "apps/statefulsets:create", "apps/statefulsets:get", "apps/statefulsets:list", "apps/statefulsets:patch",
                "apps/statefulsets:watch",
                "/pods:get", "/pods:list", "/pods:watch",
                "/pods/exec:create", "/pods/exec:get", "/pods/portforward:create", "/pods/portforward:get",
                "/persistentvolumeclaims:create", "/persistentvolumeclaims:patch", "/persistentvolumeclaims:get",
                "/secrets:create", "/secrets:patch",
                "/resourcequotas:create", "/resourcequotas:patch", "/limitranges:create", "/limitranges:patch",
                "/serviceaccounts:create", "/serviceaccounts:patch",
                "networking.k8s.io/networkpolicies:create", "networking.k8s.io/networkpolicies:patch");

        Role publish = find(Role.class, "rde-agent-publish");
        assertThat(publish.getMetadata().getNamespace()).isEqualTo("rde-published");
        assertThat(grants(publish.getRules())).containsExactlyInAnyOrder(
                "apps/deployments:get", "apps/deployments:list", "apps/deployments:create", "apps/deployments:patch",
                "apps/deployments:delete",
                "/services:list", "/services:create", "/services:patch", "/services:delete",
                "/persistentvolumeclaims:list", "/persistentvolumeclaims:create", "/persistentvolumeclaims:patch",
                "/persistentvolumeclaims:delete");

        Role credential = find(Role.class, "rde-agent-credential");
        assertThat(credential.getMetadata().getNamespace()).isEqualTo("rde-system");
        assertThat(credential.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResourceNames()).containsExactly("rde-agent-credential");
            assertThat(grants(List.of(rule))).containsExactly("/secrets:get");
        });

        // Roles bound to the agent: only these three, never a built-in (cluster-admin, admin, edit).
        List<String> bound = new ArrayList<>();
        objects.stream().filter(ClusterRoleBinding.class::isInstance).map(ClusterRoleBinding.class::cast)
                .filter(b -> b.getSubjects().stream().anyMatch(InfraManifestsTest::isAgent))
                .forEach(b -> bound.add(b.getRoleRef().getKind() + " " + b.getRoleRef().getName()));
        objects.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast)
                .filter(b -> b.getSubjects().stream().anyMatch(InfraManifestsTest::isAgent))
                .forEach(b -> bound.add(b.getRoleRef().getKind() + " " + b.getRoleRef().getName()
                        + " in " + b.getMetadata().getNamespace()));
        assertThat(bound).containsExactlyInAnyOrder("ClusterRole rde-agent", "Role rde-agent-credential in rde-system",
                "Role rde-agent-publish in rde-published");
    }

    @Test
    void noRoleAnywhereUsesAWildcard() {
        List<PolicyRule> rules = new ArrayList<>();
        objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .forEach(r -> rules.addAll(r.getRules()));
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast).forEach(r -> rules.addAll(r.getRules()));

        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
            assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
        });
    }

    /** "apiGroup/resource:verb" for every combination a rule grants. */
    private static List<String> grants(List<PolicyRule> rules) {
        List<String> grants = new ArrayList<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(group + "/" + resource + ":" + verb);
                    }
                }
            }
        }
        return grants;
    }

    private static boolean isAgent(Subject subject) {
        return "ServiceAccount".equals(subject.getKind()) && "rde-agent".equals(subject.getName())
                && "rde-system".equals(subject.getNamespace());
    }

    private static Secret template(String path) throws IOException {
        try (KubernetesClient offline = new KubernetesClientBuilder().build();
             var in = Files.newInputStream(infra.resolve(path))) {
            return offline.getKubernetesSerialization().unmarshal(in, Secret.class);
        }
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
