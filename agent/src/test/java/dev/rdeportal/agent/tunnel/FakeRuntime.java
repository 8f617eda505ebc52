package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Workspaces as entries in a map, counting lifecycle calls; for tests of the tunnel side only. */
final class FakeRuntime implements WorkspaceRuntime {

    final Map<String, WorkspaceState> workspaces = new ConcurrentHashMap<>();
    final AtomicInteger provisions = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    private final List<Consumer<WorkspaceState>> listeners = new CopyOnWriteArrayList<>();

    FakeRuntime with(String workspaceId, WorkspacePhase phase) {
        workspaces.put(workspaceId, new WorkspaceState(workspaceId, phase, Map.of(8000, 41000), ""));
        return this;
    }

    void emit(WorkspaceState change) {
        workspaces.put(change.workspaceId(), change);
        listeners.forEach(l -> l.accept(change));
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public WorkspaceState provision(WorkspaceSpec spec) {
        provisions.incrementAndGet();
        WorkspaceState state = new WorkspaceState(spec.workspaceId(), WorkspacePhase.RUNNING, Map.of(), "");
        workspaces.put(spec.workspaceId(), state);
        return state;
    }

    @Override
    public WorkspaceState start(WorkspaceSpec spec) {
        return provision(spec);
    }

    @Override
    public WorkspaceState stop(String workspaceId) {
        stops.incrementAndGet();
        return workspaces.computeIfPresent(workspaceId, (id, s) -> new WorkspaceState(id, WorkspacePhase.STOPPED, s.ports(), ""));
    }

    @Override
    public void delete(String workspaceId) {
        workspaces.remove(workspaceId);
    }

    @Override
    public List<WorkspaceState> inventory() {
        return List.copyOf(workspaces.values());
    }

    @Override
    public Optional<InetSocketAddress> portAddress(String workspaceId, int port) {
        return Optional.empty();
    }

    @Override
    public TerminalProcess openTerminal(String workspaceId, String command, int cols, int rows) {
        throw new UnsupportedOperationException("no terminals in the fake runtime");
    }

    @Override
    public void onChange(Consumer<WorkspaceState> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
    }

    final AtomicInteger publishes = new AtomicInteger();
    final java.util.Map<String, PublishState> apps = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set to make the next publish start an app that dies at once. */
    volatile boolean publishFails;

    @Override
    public PublishState publish(PublishSpec spec) {
        publishes.incrementAndGet();
        PublishState state = publishFails
                ? new PublishState(spec.publishId(), spec.name(), WorkspacePhase.FAILED, "", "start command exited with status 1")
                : new PublishState(spec.publishId(), spec.name(), WorkspacePhase.RUNNING, "127.0.0.1:" + (40000 + spec.port() % 1000), "");
        apps.put(spec.publishId(), state);
        return state;
    }

    @Override
    public void unpublish(String publishId) {
        apps.remove(publishId);
    }

    @Override
    public List<PublishState> published() {
        return List.copyOf(apps.values());
    }
}
