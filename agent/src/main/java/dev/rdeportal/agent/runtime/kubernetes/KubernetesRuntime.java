package dev.rdeportal.agent.runtime.kubernetes;

import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.AGENT;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.CONTAINER;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.MANAGED_BY;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.NAME;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.POD;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.WORKSPACE_ID_ANNOTATION;
import static dev.rdeportal.agent.runtime.kubernetes.WorkspaceObjects.WORKSPACE_LABEL;

import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as pods: one namespace per workspace ({@code rde-ws-<id>}) holding a StatefulSet of
 * one pod, its volume, quota, limit range, network policy, service account and environment secret
 * (see {@link WorkspaceObjects}).
 * <pre>
 *   provision/start ──server-side apply──► namespace, quota, …, StatefulSet(replicas 1) ──► wait until settled
 *   stop            ──merge patch────────► StatefulSet(replicas 0)      (the volume stays)
 *   delete          ──delete─────────────► namespace                    (everything in it goes)
 *   informers (pods, StatefulSets labelled managed-by=rde-agent) ──► onChange listeners
 * </pre>
 * Every object is applied with server-side apply under one field manager, so applying the same
 * spec again is a no-op on the API server and a changed spec is a patch: there is no
 * read-modify-write race with the cluster's controllers.
 */
public final class KubernetesRuntime implements WorkspaceRuntime {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.kubernetes");

    private final KubernetesClient client;
    private final KubernetesRuntimeConfig config;
    private final Applier applier;
    private final SnapshotCopier copier;
    private final Duration pollInterval;
    private final List<Consumer<WorkspaceState>> listeners = new CopyOnWriteArrayList<>();
    /** The last settled state told to listeners, so informer resyncs and echoes are not repeated. */
    private final ConcurrentMap<String, WorkspaceState> reported = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LocalPortForward> forwards = new ConcurrentHashMap<>();
    /** One thread: status lookups leave the informer's thread free and reports keep their order. */
    private final ExecutorService statusThread;
    private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * Opens the runtime and starts watching; fails at once when the cluster cannot be listed (no
     * access, missing RBAC). The caller keeps {@code client} and closes it after the runtime.
     */
    public static KubernetesRuntime open(KubernetesClient client, KubernetesRuntimeConfig config) {
        KubernetesRuntime runtime = new KubernetesRuntime(client, config, Applier.SERVER_SIDE, Duration.ofSeconds(1));
        runtime.watch();
        return runtime;
    }

    KubernetesRuntime(KubernetesClient client, KubernetesRuntimeConfig config, Applier applier, Duration pollInterval) {
        this(client, config, applier, pollInterval, new ExecSnapshotCopier());
    }

    KubernetesRuntime(KubernetesClient client, KubernetesRuntimeConfig config, Applier applier, Duration pollInterval,
                      SnapshotCopier copier) {
        this.copier = Objects.requireNonNull(copier, "copier");
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.pollInterval = pollInterval;
        this.statusThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rde-kube-status");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public WorkspaceState provision(WorkspaceSpec spec) {
        return launch(spec, "provision");
    }

    /** The spec is complete, so a start of a workspace this cluster lost provisions it afresh. */
    @Override
    public WorkspaceState start(WorkspaceSpec spec) {
        return launch(spec, "start");
    }

    private WorkspaceState launch(WorkspaceSpec spec, String step) {
        if (spec.image().isBlank()) {
            throw new WorkspaceRuntimeException(step + " workspace " + spec.workspaceId() + ": the blueprint names no image");
        }
        String namespace = WorkspaceObjects.namespace(spec.workspaceId());
        // The SPI leaves a running workspace as it is: re-applying a changed blueprint would roll
        // the pod and kill the user's shells. A changed spec takes effect at the next start.
        WorkspaceState current = observe(spec.workspaceId()).state();
        if (current.phase() == WorkspacePhase.RUNNING) {
            return current;
        }
        apply(spec, step, WorkspaceObjects.namespaceObject(spec));
        for (HasMetadata object : WorkspaceObjects.namespaced(spec, config, 1)) {
            apply(spec, step, object);
        }
        log.info("workspace {}: {} applied in namespace {} (image {})", spec.workspaceId(), step, namespace, spec.image());
        return awaitSettled(spec.workspaceId(), step);
    }

    private void apply(WorkspaceSpec spec, String step, HasMetadata object) {
        try {
            applier.apply(client, object);
        } catch (KubernetesClientException e) {
            // The message names the object and the API's reason; it never holds the secret's data.
            throw new WorkspaceRuntimeException(step + " workspace " + spec.workspaceId() + ": apply "
                    + object.getKind() + " " + object.getMetadata().getName() + ": " + apiReason(e), e);
        }
    }

    /**
     * Waits for what a user would call the outcome: the pod ready, or a failure they can act on
     * (image cannot be pulled, start command crashing). A pod still starting at the timeout is
     * reported as it is; the informer reports it when it settles.
     */
    private WorkspaceState awaitSettled(String workspaceId, String step) {
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        while (true) {
            Observed observed = observe(workspaceId);
            if (observed.status().settled() || System.nanoTime() - deadline >= 0) {
                if (!observed.status().settled()) {
                    log.info("workspace {}: not ready after {}: {}", workspaceId, config.readyTimeout(), observed.status().reason());
                }
                return observed.state();
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkspaceRuntimeException(step + " workspace " + workspaceId + ": interrupted while waiting for the pod");
            }
        }
    }

    @Override
    public WorkspaceState stop(String workspaceId) {
        String namespace = WorkspaceObjects.namespace(workspaceId);
        closeForwards(workspaceId);
        try {
            StatefulSet patched = client.apps().statefulSets().inNamespace(namespace).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":0}}");
            log.info("workspace {}: scaled to zero (volume kept)", workspaceId);
            return patched == null ? WorkspaceState.missing(workspaceId) : observe(workspaceId).state();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return observe(workspaceId).state();
            }
            throw new WorkspaceRuntimeException("stop workspace " + workspaceId + ": scale StatefulSet in "
                    + namespace + " to 0: " + apiReason(e), e);
        }
    }

    @Override
    public void delete(String workspaceId) {
        String namespace = WorkspaceObjects.namespace(workspaceId);
        closeForwards(workspaceId);
        try {
            // Deleting the namespace takes the volume and the environment secret with it; a namespace
            // already gone (or going) is fine.
            client.namespaces().withName(namespace).delete();
            reported.remove(workspaceId);
            log.info("workspace {}: namespace {} deleted", workspaceId, namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw new WorkspaceRuntimeException("delete workspace " + workspaceId + ": delete namespace "
                        + namespace + ": " + apiReason(e), e);
            }
        }
    }

    /** Three list calls, whatever the number of workspaces: namespaces, StatefulSets and pods by label. */
    @Override
    public List<WorkspaceState> inventory() {
        try {
            List<Namespace> namespaces = client.namespaces().withLabel(MANAGED_BY, AGENT).withLabel(WORKSPACE_LABEL).list().getItems();
            Map<String, StatefulSet> sets = byNamespace(client.apps().statefulSets().inAnyNamespace()
                    .withLabel(MANAGED_BY, AGENT).list().getItems());
            Map<String, Pod> pods = byNamespace(client.pods().inAnyNamespace().withLabel(MANAGED_BY, AGENT).list().getItems());
            return namespaces.stream()
                    .map(ns -> {
                        String name = ns.getMetadata().getName();
                        return new Observed(workspaceId(ns), ns, sets.get(name), pods.get(name));
                    })
                    .filter(o -> o.workspaceId() != null && o.status().phase() != WorkspacePhase.MISSING)
                    .map(Observed::state)
                    .sorted(Comparator.comparing(WorkspaceState::workspaceId))
                    .toList();
        } catch (KubernetesClientException e) {
            throw new WorkspaceRuntimeException("list workspaces: " + apiReason(e), e);
        }
    }

    @Override
    public WorkspaceState state(String workspaceId) {
        return observe(workspaceId).state();
    }

    @Override
    public Optional<InetSocketAddress> portAddress(String workspaceId, int port) {
        Observed observed = observe(workspaceId);
        if (observed.status().phase() != WorkspacePhase.RUNNING || !observed.state().ports().containsKey(port)
                || observed.pod() == null) {
            return Optional.empty();
        }
        return switch (config.portAccess()) {
            case POD_IP -> Optional.ofNullable(observed.pod().getStatus().getPodIP())
                    .filter(ip -> !ip.isBlank())
                    .map(ip -> new InetSocketAddress(ip, port));
            case PORT_FORWARD -> Optional.of(forward(workspaceId, port));
        };
    }

    /** One forward per workspace port, reused while alive; closed when the workspace stops. */
    private InetSocketAddress forward(String workspaceId, int port) {
        String key = workspaceId + ":" + port;
        LocalPortForward forward = forwards.compute(key, (k, existing) -> {
            if (existing != null && existing.isAlive() && !existing.errorOccurred()) {
                return existing;
            }
            closeQuietly(existing);
            return client.pods().inNamespace(WorkspaceObjects.namespace(workspaceId)).withName(POD)
                    .portForward(port, InetAddress.getLoopbackAddress(), 0);
        });
        return new InetSocketAddress(forward.getLocalAddress(), forward.getLocalPort());
    }

    @Override
    public TerminalProcess openTerminal(String workspaceId, String command, int cols, int rows) {
        if (cols <= 0 || rows <= 0) {
            throw new IllegalArgumentException("open terminal in workspace " + workspaceId
                    + ": size must be positive, got " + cols + "x" + rows);
        }
        WorkspaceState state = state(workspaceId);
        if (state.phase() != WorkspacePhase.RUNNING) {
            throw new WorkspaceRuntimeException("open terminal in workspace " + workspaceId + ": workspace is " + state.phase());
        }
        try {
            ExecWatch watch = client.pods().inNamespace(WorkspaceObjects.namespace(workspaceId)).withName(POD)
                    .inContainer(CONTAINER)
                    .redirectingInput()
                    .redirectingOutput()
                    .withTTY()
                    .exec(ExecTerminal.command(command, cols, rows));
            return new ExecTerminal(workspaceId, watch, cols, rows);
        } catch (KubernetesClientException e) {
            throw new WorkspaceRuntimeException("open terminal in workspace " + workspaceId + ": exec: " + apiReason(e), e);
        }
    }

    // ---- publishing ---------------------------------------------------------------------------

    /**
     * Volume, Service and Deployment named by the app's stable name in the publish namespace (see
     * {@link PublishedObjects}), then the snapshot copied into the volume. A name held by another
     * publication is taken over: its objects go first, so the Service name (and what routes to it)
     * stays. A publication whose snapshot is complete is left as it is, even if its workspace is
     * gone by now.
     */
    @Override
    public PublishState publish(PublishSpec spec) {
        String target = config.publishNamespace();
        String step = "publish " + spec.publishId() + " (" + spec.name() + ")";
        Deployment existing = get(step, () -> client.apps().deployments().inNamespace(target).withName(spec.name()).get());
        if (existing != null) {
            String owner = annotation(existing, PublishedObjects.PUBLISH_ID_ANNOTATION);
            if (spec.publishId().equals(owner)) {
                if ("complete".equals(annotation(existing, PublishedObjects.SNAPSHOT_ANNOTATION))) {
                    return publishState(existing);
                }
            } else if (owner != null) {
                log.info("published app {}: name {} taken over from {}", spec.publishId(), spec.name(), owner);
                unpublish(owner);
            }
        }
        String workspaceNamespace = WorkspaceObjects.namespace(spec.workspaceId());
        Observed workspace = observe(spec.workspaceId());
        if (workspace.state().phase() != WorkspacePhase.RUNNING) {
            throw new WorkspaceRuntimeException(step + ": workspace " + spec.workspaceId() + " is "
                    + workspace.state().phase() + "; its files are copied from its running pod, so start it first");
        }
        var container = workspace.statefulSet().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> CONTAINER.equals(c.getName())).findFirst()
                .orElseThrow(() -> new WorkspaceRuntimeException(step + ": workspace " + spec.workspaceId() + " has no container"));
        PersistentVolumeClaim volume = get(step, () -> client.persistentVolumeClaims().inNamespace(workspaceNamespace).withName(NAME).get());
        Quantity storage = volume == null ? new Quantity(config.defaultStorageGib() + "Gi")
                : volume.getSpec().getResources().getRequests().get("storage");
        for (HasMetadata object : PublishedObjects.all(spec, target, container.getImage(), container.getResources(),
                storage, config.storageClass())) {
            try {
                applier.apply(client, object);
            } catch (KubernetesClientException e) {
                throw new WorkspaceRuntimeException(step + ": apply " + object.getKind() + " " + target + "/"
                        + object.getMetadata().getName() + ": " + apiReason(e), e);
            }
        }
        copier.copy(client, workspaceNamespace, target, PublishedObjects.PUBLISH_LABEL,
                WorkspaceObjects.labelValue(spec.publishId()), config.readyTimeout());
        Deployment marked = get(step, () -> client.apps().deployments().inNamespace(target).withName(spec.name())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + PublishedObjects.SNAPSHOT_ANNOTATION + "\":\"complete\"}}}"));
        log.info("published app {}: {} running from a snapshot of workspace {} in {}", spec.publishId(), spec.name(),
                spec.workspaceId(), target);
        return publishState(marked);
    }

    /**
     * By label, kind by kind, so a half-done publish or unpublish is cleaned up too. Deleting the
     * Deployment first lets its pod release the volume.
     */
    @Override
    public void unpublish(String publishId) {
        WorkspaceSpec.requireValidId(publishId);
        String target = config.publishNamespace();
        String label = WorkspaceObjects.labelValue(publishId);
        String step = "unpublish " + publishId;
        List<List<? extends HasMetadata>> kinds = List.of(
                get(step, () -> client.apps().deployments().inNamespace(target).withLabel(PublishedObjects.PUBLISH_LABEL, label).list().getItems()),
                get(step, () -> client.services().inNamespace(target).withLabel(PublishedObjects.PUBLISH_LABEL, label).list().getItems()),
                get(step, () -> client.persistentVolumeClaims().inNamespace(target).withLabel(PublishedObjects.PUBLISH_LABEL, label).list().getItems()));
        for (List<? extends HasMetadata> objects : kinds) {
            for (HasMetadata object : objects) {
                if (!publishId.equals(annotation(object, PublishedObjects.PUBLISH_ID_ANNOTATION))) {
                    continue; // another id with the same label value
                }
                try {
                    client.resource(object).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw new WorkspaceRuntimeException(step + ": delete " + object.getKind() + " " + target + "/"
                                + object.getMetadata().getName() + ": " + apiReason(e), e);
                    }
                }
            }
        }
        log.info("published app {}: removed from {}", publishId, target);
    }

    @Override
    public List<PublishState> published() {
        return get("list published apps", () -> client.apps().deployments().inNamespace(config.publishNamespace())
                .withLabel(MANAGED_BY, AGENT).withLabel(PublishedObjects.PUBLISH_LABEL).list().getItems())
                .stream()
                .filter(d -> annotation(d, PublishedObjects.PUBLISH_ID_ANNOTATION) != null)
                .map(this::publishState)
                .sorted(Comparator.comparing(PublishState::publishId))
                .toList();
    }

    private PublishState publishState(Deployment deployment) {
        String id = annotation(deployment, PublishedObjects.PUBLISH_ID_ANNOTATION);
        String name = deployment.getMetadata().getName();
        int port = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
        String endpoint = name + "." + config.publishNamespace() + ".svc:" + port;
        Integer ready = deployment.getStatus() == null ? null : deployment.getStatus().getReadyReplicas();
        if (ready != null && ready >= 1) {
            return new PublishState(id, name, WorkspacePhase.RUNNING, endpoint, "");
        }
        String reason = "complete".equals(annotation(deployment, PublishedObjects.SNAPSHOT_ANNOTATION))
                ? "starting" : "waiting for the snapshot";
        return new PublishState(id, name, WorkspacePhase.STOPPED, endpoint, reason);
    }

    private static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private <T> T get(String step, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw new WorkspaceRuntimeException(step + ": " + apiReason(e), e);
        }
    }

    @Override
    public void onChange(Consumer<WorkspaceState> listener) {
        listeners.add(listener);
    }

    /** Stops watching and forwarding; the workspaces keep running. */
    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
        forwards.values().forEach(KubernetesRuntime::closeQuietly);
        forwards.clear();
        statusThread.shutdownNow();
    }

    // ---- watching ---------------------------------------------------------------------------

    /**
     * Seeds what listeners already know from the inventory (the tunnel sends it in its hello), then
     * starts informers whose events only trigger a fresh look at the workspace: the decision is
     * always {@link WorkspaceStatus} over the current objects, never over one event's delta.
     */
    void watch() {
        inventory().forEach(s -> reported.put(s.workspaceId(), s));
        informers.add(client.pods().inAnyNamespace().withLabel(MANAGED_BY, AGENT).inform(changes(), 0));
        informers.add(client.apps().statefulSets().inAnyNamespace().withLabel(MANAGED_BY, AGENT).inform(changes(), 0));
        log.info("kubernetes runtime watching {} workspace(s); previews via {}", reported.size(), config.portAccess());
    }

    private <T extends HasMetadata> ResourceEventHandler<T> changes() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(obj);
            }
        };
    }

    private void changed(HasMetadata object) {
        String id = object.getMetadata().getAnnotations() == null ? null
                : object.getMetadata().getAnnotations().get(WORKSPACE_ID_ANNOTATION);
        if (id == null || closed) {
            return;
        }
        try {
            statusThread.execute(() -> report(id));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Tells listeners about a settled change; MISSING is a delete the control plane asked for. */
    void report(String workspaceId) {
        WorkspaceState state;
        try {
            Observed observed = observe(workspaceId);
            if (!observed.status().settled() || observed.status().phase() == WorkspacePhase.MISSING) {
                return;
            }
            state = observed.state();
        } catch (RuntimeException e) {
            log.warn("workspace {}: status lookup after a change failed: {}", workspaceId, e.getMessage());
            return;
        }
        WorkspaceState previous = reported.put(workspaceId, state);
        if (state.equals(previous)) {
            return;
        }
        log.info("workspace {}: {}{}", workspaceId, state.phase(), state.reason().isEmpty() ? "" : " (" + state.reason() + ")");
        for (Consumer<WorkspaceState> listener : listeners) {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                log.warn("workspace change listener failed for {}", workspaceId, e);
            }
        }
    }

    // ---- observing --------------------------------------------------------------------------

    private Observed observe(String workspaceId) {
        String namespace = WorkspaceObjects.namespace(workspaceId);
        try {
            Namespace ns = client.namespaces().withName(namespace).get();
            if (ns == null) {
                return new Observed(workspaceId, null, null, null);
            }
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(NAME).get();
            Pod pod = client.pods().inNamespace(namespace).withName(POD).get();
            return new Observed(workspaceId, ns, set, pod);
        } catch (KubernetesClientException e) {
            throw new WorkspaceRuntimeException("look up workspace " + workspaceId + " in namespace " + namespace
                    + ": " + apiReason(e), e);
        }
    }

    /** The objects of one workspace as last read, and what they mean. */
    private record Observed(String workspaceId, Namespace namespace, StatefulSet statefulSet, Pod pod) {

        WorkspaceStatus status() {
            return WorkspaceStatus.of(namespace, statefulSet, pod);
        }

        WorkspaceState state() {
            WorkspaceStatus status = status();
            if (status.phase() == WorkspacePhase.MISSING) {
                return WorkspaceState.missing(workspaceId);
            }
            return new WorkspaceState(workspaceId, status.phase(), ports(), status.reason());
        }

        /** In a pod the app listens on its own port: blueprint port → the same port. */
        private Map<Integer, Integer> ports() {
            if (statefulSet == null) {
                return Map.of();
            }
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> CONTAINER.equals(c.getName()))
                    .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
                    .forEach(p -> ports.put(p.getContainerPort(), p.getContainerPort()));
            return ports;
        }
    }

    private static String workspaceId(Namespace namespace) {
        Map<String, String> annotations = namespace.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(WORKSPACE_ID_ANNOTATION);
    }

    private static <T extends HasMetadata> Map<String, T> byNamespace(List<T> objects) {
        return objects.stream().collect(Collectors.toMap(o -> o.getMetadata().getNamespace(), Function.identity(), (a, b) -> a));
    }

    private void closeForwards(String workspaceId) {
        forwards.keySet().removeIf(key -> {
            if (key.startsWith(workspaceId + ":")) {
                closeQuietly(forwards.get(key));
                return true;
            }
            return false;
        });
    }

    private static void closeQuietly(LocalPortForward forward) {
        if (forward == null) {
            return;
        }
        try {
            forward.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a port-forward failed", e);
        }
    }

    /** The API server's status message, else what stopped the request (the API unreachable, …). */
    private String apiReason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Without a kubeconfig or service account the client aims at kubernetes.default.svc; name it.
        return root == e ? e.getMessage() : "Kubernetes API at " + client.getMasterUrl() + " unreachable: " + root;
    }
}
