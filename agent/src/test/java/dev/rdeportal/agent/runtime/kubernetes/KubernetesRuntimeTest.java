package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.concurrent.CopyOnWriteArrayList;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.util.OptionalInt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runtime against fabric8's mock API server in CRUD mode (no controllers: pods appear only when a test adds them). */
@EnableKubernetesMockClient(crud = true)
class KubernetesRuntimeTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private KubernetesRuntime runtime;

    private static final WorkspaceSpec SPEC = new WorkspaceSpec("w-1", "demo", "alice@example.com", "bp-python",
            "registry.example/python:3", 1500, 3072, 20, List.of(8000, 9000),
            Map.of("ANTHROPIC_API_KEY", "sk-test-secret"), "python3 -m http.server $PORT");
    private static final String NS = "rde-ws-w-1";

    @BeforeEach
    void open() {
        // Zero ready timeout: the mock has no controller to make a pod ready. Create-or-replace:
        // the mock has no server-side apply (answers 415), so production's applier is not exercised here.
        runtime = new KubernetesRuntime(client, KubernetesRuntimeConfig.defaults(null, "rde-system")
                .withReadyTimeout(Duration.ZERO), Applier.CREATE_OR_REPLACE, Duration.ofMillis(10));
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
        // The mock has no namespace controller: what a deleted namespace held must go by hand.
        client.pods().inAnyNamespace().delete();
        client.apps().statefulSets().inAnyNamespace().delete();
        client.apps().deployments().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.namespaces().delete();
    }

    @Test
    void provisionCreatesAnIsolatedNamespaceWithTheBlueprintsResources() {
        runtime.provision(SPEC);

        Namespace ns = client.namespaces().withName(NS).get();
        assertThat(ns.getMetadata().getLabels()).containsEntry("rde.dev/workspace", "w-1")
                .containsEntry("rde.dev/owner", "alice_example.com")
                .containsEntry("rde.dev/blueprint", "bp-python")
                .containsEntry("app.kubernetes.io/managed-by", "rde-agent");

        assertThat(client.resourceQuotas().inNamespace(NS).withName("workspace").get().getSpec().getHard())
                .containsEntry("limits.cpu", new Quantity("1500m"))
                .containsEntry("limits.memory", new Quantity("3072Mi"))
                .containsEntry("requests.storage", new Quantity("20Gi"));
        assertThat(client.limitRanges().inNamespace(NS).withName("workspace").get().getSpec().getLimits().get(0).getMax())
                .containsEntry("cpu", new Quantity("1500m"));
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("workspace").get()
                .getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));

        NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace(NS).withName("workspace").get();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "rde-system"));
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8000, 9000);
        });

        assertThat(client.serviceAccounts().inNamespace(NS).withName("workspace").get().getAutomountServiceAccountToken())
                .isFalse();
        Secret env = client.secrets().inNamespace(NS).withName("workspace-env").get();
        assertThat(new String(Base64.getDecoder().decode(env.getData().get("ANTHROPIC_API_KEY")), StandardCharsets.UTF_8))
                .isEqualTo("sk-test-secret");

        StatefulSet set = client.apps().statefulSets().inNamespace(NS).withName("workspace").get();
        assertThat(set.getSpec().getReplicas()).isEqualTo(1);
        var pod = set.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("workspace");
        Container container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example/python:3");
        assertThat(container.getCommand()).containsExactly("sh", "-c", "python3 -m http.server $PORT");
        assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("1500m"))
                .containsEntry("memory", new Quantity("3072Mi"));
        assertThat(container.getResources().getRequests()).isEqualTo(container.getResources().getLimits());
        assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PORT", "8000"),
                        org.assertj.core.groups.Tuple.tuple("RDE_PORT_8000", "8000"),
                        org.assertj.core.groups.Tuple.tuple("RDE_PORT_9000", "9000"));
        assertThat(container.getEnv()).noneMatch(e -> "sk-test-secret".equals(e.getValue()));
        assertThat(container.getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("workspace-env"));
        assertThat(container.getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/workspace"));
        assertThat(pod.getVolumes()).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("workspace"));
    }

    @Test
    void aShellOnlyWorkspaceSleeps() {
        runtime.provision(new WorkspaceSpec("w-2", "", "", "", "debian:12", 0, 0, 0, List.of(), Map.of(), ""));

        StatefulSet set = client.apps().statefulSets().inNamespace("rde-ws-w-2").withName("workspace").get();
        assertThat(set.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsExactly("sh", "-c", "sleep infinity");
    }

    @Test
    void provisioningTwiceChangesNothing() {
        runtime.provision(SPEC);
        List<String> first = snapshot();

        runtime.provision(SPEC);

        assertThat(snapshot()).isEqualTo(first);
    }

    @Test
    void aRunningWorkspaceIsLeftAsItIsByAnotherProvision() {
        runtime.provision(SPEC);
        markReady(NS);
        client.pods().inNamespace(NS).resource(readyPod("10.1.2.3")).create();

        WorkspaceState state = runtime.provision(new WorkspaceSpec("w-1", "demo", "alice@example.com", "bp-python",
                "registry.example/python:4", 1500, 3072, 20, List.of(8000, 9000), Map.of(), ""));

        assertThat(state.phase()).isEqualTo(WorkspacePhase.RUNNING);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("workspace").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/python:3");
    }

    @Test
    void stopScalesToZeroAndKeepsTheVolumeAndStartScalesBack() {
        runtime.provision(SPEC);

        WorkspaceState stopped = runtime.stop("w-1");

        assertThat(stopped.phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("workspace").get().getSpec().getReplicas()).isZero();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("workspace").get()).isNotNull();
        assertThat(runtime.stop("w-1").phase()).isEqualTo(WorkspacePhase.STOPPED);

        runtime.start(SPEC);

        assertThat(client.apps().statefulSets().inNamespace(NS).withName("workspace").get().getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheNamespaceAndAMissingWorkspaceIsFine() {
        runtime.provision(SPEC);

        runtime.delete("w-1");
        runtime.delete("w-1");

        assertThat(client.namespaces().withName(NS).get()).isNull();
        assertThat(runtime.state("w-1").phase()).isEqualTo(WorkspacePhase.MISSING);
        assertThat(runtime.stop("never-was").phase()).isEqualTo(WorkspacePhase.MISSING);
    }

    @Test
    void inventoryComesFromLabels() {
        runtime.provision(SPEC);
        runtime.provision(new WorkspaceSpec("w-2", "", "bob@example.com", "bp", "debian:12", 0, 0, 0, List.of(), Map.of(), ""));
        runtime.stop("w-2");
        markReady(NS);
        // Not ours: no managed-by label.
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("rde-ws-foreign").endMetadata().build()).create();

        List<WorkspaceState> inventory = runtime.inventory();

        assertThat(inventory).extracting(WorkspaceState::workspaceId, WorkspaceState::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("w-1", WorkspacePhase.RUNNING),
                        org.assertj.core.groups.Tuple.tuple("w-2", WorkspacePhase.STOPPED));
        assertThat(inventory.get(0).ports()).containsEntry(8000, 8000).containsEntry(9000, 9000);
    }

    @Test
    void aPodThatCannotPullItsImageIsReportedFailedWithTheImageNamed() {
        runtime.provision(SPEC);
        List<WorkspaceState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.onChange(seen::add);
        client.pods().inNamespace(NS).resource(WorkspaceStatusTest.pod(NS, "registry.example/python:3", "ImagePullBackOff",
                "Back-off pulling image \"registry.example/python:3\"")).create();

        runtime.report("w-1");
        runtime.report("w-1");

        assertThat(seen).singleElement().satisfies(state -> {
            assertThat(state.phase()).isEqualTo(WorkspacePhase.FAILED);
            assertThat(state.reason()).startsWith("image registry.example/python:3 cannot be pulled: Back-off pulling");
        });
        assertThat(runtime.inventory()).singleElement().extracting(WorkspaceState::phase).isEqualTo(WorkspacePhase.FAILED);
    }

    @Test
    void theInformerReportsACrashLoopOnceAndPreviewsUseThePodIpOfARunningWorkspace() throws Exception {
        runtime.provision(SPEC);
        markReady(NS);
        client.pods().inNamespace(NS).resource(readyPod("10.1.2.3")).create();
        java.util.concurrent.BlockingQueue<WorkspaceState> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        runtime.onChange(seen::add);
        runtime.watch();

        assertThat(runtime.portAddress("w-1", 8000)).contains(new java.net.InetSocketAddress("10.1.2.3", 8000));
        assertThat(runtime.portAddress("w-1", 1234)).as("not a blueprint port").isEmpty();

        client.pods().inNamespace(NS).resource(WorkspaceStatusTest.pod(NS, "registry.example/python:3",
                "CrashLoopBackOff", "back-off 40s restarting failed container")).update();

        WorkspaceState failed = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failed).isNotNull();
        assertThat(failed.phase()).isEqualTo(WorkspacePhase.FAILED);
        assertThat(failed.reason()).contains("start command keeps exiting");
        assertThat(seen.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("reported once").isNull();
        assertThat(runtime.portAddress("w-1", 8000)).as("no preview of a failed workspace").isEmpty();
    }

    /**
     * The terminal's exec as the API server sees it: the launcher command with the window size,
     * stdin and stdout with a TTY, the initial size and a later resize as JSON on channel 4,
     * keystrokes on channel 0 and output from channel 1, then the exit code from the status channel.
     * The mock closes the socket on any message it does not expect, so an unexpected or missing
     * resize fails the test.
     */
    @Test
    void aTerminalIsAnExecWithATtyThatSendsItsSizeAndResizesOnChannelFour() throws Exception {
        runtime.provision(SPEC);
        markReady(NS);
        client.pods().inNamespace(NS).resource(readyPod("10.1.2.3")).create();
        StringBuilder query = new StringBuilder();
        for (String part : ExecTerminal.command("", 120, 40)) {
            query.append("command=").append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20")).append('&');
        }
        // A TTY merges stderr into stdout, so no stderr stream is asked for.
        query.append("container=workspace&tty=true&stdin=true&stdout=true");
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/workspace-0/exec?" + query)
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("$ "))
                .expect("\u0004{\"Width\":120,\"Height\":40}").andEmit(new OutputStreamMessage("[120x40]")).once()
                .expect("\u0000echo hi\r").andEmit(new OutputStreamMessage("hi\r\n$ ")).once()
                .expect("\u0004{\"Width\":100,\"Height\":30}").andEmit(new OutputStreamMessage("[100x30]")).once()
                .expect("\u0000exit\r").andEmit(new StatusMessage(0)).once()
                .done().once();

        try (TerminalProcess terminal = runtime.openTerminal("w-1", "", 120, 40)) {
            assertThat(readUntil(terminal.output(), "[120x40]")).endsWith("[120x40]");
            terminal.input().write("echo hi\r".getBytes(StandardCharsets.UTF_8));
            terminal.input().flush();
            assertThat(readUntil(terminal.output(), "$ ")).isEqualTo("hi\r\n$ ");
            terminal.resize(100, 30);
            assertThat(readUntil(terminal.output(), "]")).isEqualTo("[100x30]");
            terminal.input().write("exit\r".getBytes(StandardCharsets.UTF_8));
            terminal.input().flush();

            assertThat(terminal.waitFor(Duration.ofSeconds(10))).isEqualTo(OptionalInt.of(0));
        }
    }

    private static final String PUB = "rde-published";
    private static final PublishSpec SHOP = new PublishSpec("p-1", "w-1", "shop", 8000, "python3 -m http.server $PORT");

    /** A runtime whose snapshot copies are recorded instead of run (they are two execs). */
    private KubernetesRuntime publishingRuntime(List<String> copies) {
        return new KubernetesRuntime(client, KubernetesRuntimeConfig.defaults(null, "rde-system").withReadyTimeout(Duration.ZERO),
                Applier.CREATE_OR_REPLACE, Duration.ofMillis(10),
                (c, from, to, label, value, timeout) -> copies.add(from + " -> " + to + " [" + label + "=" + value + "]"));
    }

    private void runningWorkspace() {
        runtime.provision(SPEC);
        markReady(NS);
        client.pods().inNamespace(NS).resource(readyPod("10.1.2.3")).create();
    }

    @Test
    void publishCreatesAVolumeAServiceAndADeploymentUnderTheStableNameAndCopiesTheSnapshotOnce() {
        runningWorkspace();
        List<String> copies = new CopyOnWriteArrayList<>();
        try (KubernetesRuntime publisher = publishingRuntime(copies)) {
            PublishState state = publisher.publish(SHOP);

            assertThat(state.publishId()).isEqualTo("p-1");
            assertThat(state.name()).isEqualTo("shop");
            assertThat(state.endpoint()).isEqualTo("shop.rde-published.svc:8000");
            assertThat(copies).containsExactly("rde-ws-w-1 -> rde-published [rde.dev/publish=p-1]");
            assertThat(names(client.apps().deployments().inNamespace(PUB).list().getItems())).containsExactly("shop");
            assertThat(names(client.services().inNamespace(PUB).list().getItems())).containsExactly("shop");
            assertThat(names(client.persistentVolumeClaims().inNamespace(PUB).list().getItems())).containsExactly("shop");
            assertThat(client.persistentVolumeClaims().inNamespace(PUB).withName("shop").get().getSpec().getResources()
                    .getRequests()).containsEntry("storage", new Quantity("20Gi"));

            Deployment deployment = client.apps().deployments().inNamespace(PUB).withName("shop").get();
            assertThat(deployment.getMetadata().getAnnotations()).containsEntry("rde.dev/snapshot", "complete")
                    .containsEntry("rde.dev/publish-id", "p-1").containsEntry("rde.dev/workspace-id", "w-1");
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
                assertThat(init.getName()).isEqualTo("receive");
                assertThat(init.getCommand()).containsExactly("sh", "-c", "until [ -e /app/.rde-snapshot ]; do sleep 1; done");
            });
            Container app = pod.getContainers().get(0);
            assertThat(app.getImage()).isEqualTo("registry.example/python:3");
            assertThat(app.getCommand()).containsExactly("sh", "-c", "python3 -m http.server $PORT");
            assertThat(app.getWorkingDir()).isEqualTo("/app");
            assertThat(app.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("PORT", "8000"));
            assertThat(app.getEnvFrom()).as("the workspace's secrets are not production's").isNullOrEmpty();
            assertThat(app.getResources().getLimits()).containsEntry("cpu", new Quantity("1500m"));
            assertThat(pod.getVolumes()).singleElement()
                    .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("shop"));
            var service = client.services().inNamespace(PUB).withName("shop").get().getSpec();
            assertThat(service.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(8000);
                assertThat(p.getTargetPort().getIntVal()).isEqualTo(8000);
            });
            assertThat(service.getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

            PublishState again = publisher.publish(SHOP);

            assertThat(again).isEqualTo(state);
            assertThat(copies).as("a complete snapshot is not copied again").hasSize(1);
            assertThat(publisher.published()).extracting(PublishState::publishId).containsExactly("p-1");
        }
    }

    @Test
    void unpublishRemovesExactlyThePublishedObjectsAndIsIdempotent() {
        runningWorkspace();
        try (KubernetesRuntime publisher = publishingRuntime(new CopyOnWriteArrayList<>())) {
            publisher.publish(SHOP);
            publisher.publish(new PublishSpec("p-2", "w-1", "blog", 9000, "hugo server --port $PORT"));

            publisher.unpublish("p-1");
            publisher.unpublish("p-1");

            assertThat(names(client.apps().deployments().inNamespace(PUB).list().getItems())).containsExactly("blog");
            assertThat(names(client.services().inNamespace(PUB).list().getItems())).containsExactly("blog");
            assertThat(names(client.persistentVolumeClaims().inNamespace(PUB).list().getItems())).containsExactly("blog");
            assertThat(client.apps().statefulSets().inNamespace(NS).withName("workspace").get())
                    .as("the workspace is untouched").isNotNull();
            assertThat(publisher.published()).extracting(PublishState::publishId).containsExactly("p-2");
        }
    }

    @Test
    void aNewPublicationTakesOverTheStableNameWithAFreshSnapshot() {
        runningWorkspace();
        List<String> copies = new CopyOnWriteArrayList<>();
        try (KubernetesRuntime publisher = publishingRuntime(copies)) {
            publisher.publish(SHOP);

            publisher.publish(new PublishSpec("p-3", "w-1", "shop", 8000, "python3 app.py"));

            assertThat(copies).hasSize(2);
            Deployment deployment = client.apps().deployments().inNamespace(PUB).withName("shop").get();
            assertThat(deployment.getMetadata().getAnnotations()).containsEntry("rde.dev/publish-id", "p-3");
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                    .containsExactly("sh", "-c", "python3 app.py");
            assertThat(publisher.published()).extracting(PublishState::publishId).containsExactly("p-3");
        }
    }

    @Test
    void publishingFromAStoppedWorkspaceIsRefusedAndCreatesNothing() {
        runtime.provision(SPEC);
        runtime.stop("w-1");
        List<String> copies = new CopyOnWriteArrayList<>();
        try (KubernetesRuntime publisher = publishingRuntime(copies)) {
            assertThatThrownBy(() -> publisher.publish(SHOP))
                    .isInstanceOf(WorkspaceRuntimeException.class)
                    .hasMessageContaining("workspace w-1 is STOPPED");

            assertThat(client.apps().deployments().inNamespace(PUB).list().getItems()).isEmpty();
            assertThat(copies).isEmpty();
        }
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }

    /** Reads until the output ends with {@code end}; fails on EOF or after 10 seconds. */
    private static String readUntil(InputStream in, String end) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seen.toString(StandardCharsets.UTF_8).endsWith(end)) {
            assertThat(System.nanoTime() - deadline).as("output so far: %s", seen).isNegative();
            int b = in.read();
            assertThat(b).as("terminal output ended; so far: %s", seen).isNotNegative();
            seen.write(b);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private static io.fabric8.kubernetes.api.model.Pod readyPod(String ip) {
        return new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("workspace-0").withNamespace(NS)
                .addToLabels("app.kubernetes.io/managed-by", "rde-agent")
                .addToAnnotations("rde.dev/workspace-id", "w-1").endMetadata()
                .withNewSpec().addNewContainer().withName("workspace").withImage("registry.example/python:3").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build();
    }

    private static void markReady(String namespace) {
        client.apps().statefulSets().inNamespace(namespace).withName("workspace")
                .editStatus(s -> {
                    s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                            .withReplicas(1).withReadyReplicas(1).build());
                    return s;
                });
    }

    /** Every object of the workspace without server-assigned metadata: what a user's workspace is made of. */
    private static List<String> snapshot() {
        return Stream.<List<? extends HasMetadata>>of(
                        List.of(client.namespaces().withName(NS).get()),
                        client.resourceQuotas().inNamespace(NS).list().getItems(),
                        client.limitRanges().inNamespace(NS).list().getItems(),
                        client.persistentVolumeClaims().inNamespace(NS).list().getItems(),
                        client.network().v1().networkPolicies().inNamespace(NS).list().getItems(),
                        client.serviceAccounts().inNamespace(NS).list().getItems(),
                        client.secrets().inNamespace(NS).list().getItems(),
                        client.apps().statefulSets().inNamespace(NS).list().getItems())
                .flatMap(List::stream)
                .map(o -> {
                    o.getMetadata().setResourceVersion(null);
                    o.getMetadata().setManagedFields(null);
                    o.getMetadata().setGeneration(null);
                    return io.fabric8.kubernetes.client.utils.Serialization.asJson(o);
                })
                .toList();
    }
}
