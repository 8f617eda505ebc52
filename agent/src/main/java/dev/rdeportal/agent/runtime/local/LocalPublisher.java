package dev.rdeportal.agent.runtime.local;

import dev.rdeportal.agent.io.JsonFiles;
import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published apps on the agent's host, each in {@code <root>/.published/<publishId>/} (a workspace
 * id cannot start with '.', so the two never meet):
 * <pre>
 *   published.json   spec, host port, phase, pid + start instant of the running tree
 *   app/             the snapshot: a copy of the workspace's home taken at publish time
 *   logs/start.log   output of the start command
 * </pre>
 * The snapshot is copied to {@code app.partial/} and renamed into place, so an agent that dies
 * mid-copy leaves nothing that looks like a finished snapshot. Like workspaces, a running app is
 * not a child that dies with the agent: a restarted agent adopts it by pid and start instant.
 */
final class LocalPublisher {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.local.publish");
    static final String DIRECTORY = ".published";
    private static final String RECORD = "published.json";

    private final Path root;
    private final LocalRuntimeConfig config;
    private final Sandbox sandbox;
    private final Clock clock;
    private final Object portLock;
    private final Supplier<Set<Integer>> workspacePorts;
    private final ConcurrentMap<String, Published> apps = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param portLock       the lock workspace port assignment holds, so the two never pick one port
     * @param workspacePorts host ports the workspaces hold, read under {@code portLock}
     */
    LocalPublisher(LocalRuntimeConfig config, Sandbox sandbox, Clock clock, Object portLock, Supplier<Set<Integer>> workspacePorts) {
        this.root = config.root().resolve(DIRECTORY);
        this.config = config;
        this.sandbox = sandbox;
        this.clock = clock;
        this.portLock = portLock;
        this.workspacePorts = workspacePorts;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("create published apps directory " + root, e);
        }
        loadExisting();
    }

    /** @param workspaceHome the workspace's files, which are copied when nothing is published under the id yet */
    PublishState publish(PublishSpec spec, Path workspaceHome) {
        Published app = apps.computeIfAbsent(spec.publishId(), id -> snapshot(spec, workspaceHome));
        synchronized (app) {
            PublishState current = app.state();
            if (current.phase() == WorkspacePhase.RUNNING) {
                return current;
            }
            int port;
            synchronized (portLock) {
                Set<Integer> avoid = portsInUseExcept(spec.publishId());
                avoid.addAll(workspacePorts.get());
                int previous = app.record.port();
                port = previous > 0 && !avoid.contains(previous) && LocalRuntime.isFree(previous)
                        ? previous : LocalRuntime.freePort("published app " + spec.publishId(), avoid);
                app.update(app.record.with(port, app.record.phase(), app.record.reason(), null));
            }
            try {
                rotate(app);
                ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(app.dir, app.app(), List.of("bash", "-lc", app.record.spec().startCommand())))
                        .directory(app.app().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(app.startLog().toFile()));
                builder.environment().clear();
                builder.environment().putAll(environment(app, port));
                Process process = builder.start();
                process.getOutputStream().close();
                ProcessHandle handle = process.toHandle();
                long startedAt = clock.millis();
                app.process = handle;
                app.update(app.record.with(port, WorkspacePhase.RUNNING, "", new WorkspaceRecord.ProcessRef(
                        handle.pid(), LocalRuntime.startInstant(handle).orElse(-1L), startedAt)));
                process.onExit().thenAccept(p -> exited(app, handle, p.exitValue(), startedAt));
                log.info("published app {} ({}) started on port {} (pid {})", spec.publishId(), spec.name(), port, handle.pid());
                return app.state();
            } catch (IOException e) {
                String reason = "start command could not be launched: " + e.getMessage();
                app.updateQuietly(app.record.with(port, WorkspacePhase.FAILED, reason, null));
                throw new WorkspaceRuntimeException("publish " + spec.publishId() + ": " + reason, e);
            }
        }
    }

    void unpublish(String publishId) {
        Published app = apps.remove(publishId);
        Path dir = app != null ? app.dir : root.resolve(publishId);
        if (app != null) {
            ProcessHandle tree;
            synchronized (app) {
                tree = app.process;
                app.process = null;
            }
            if (tree != null) {
                LocalRuntime.terminate("published app " + publishId, tree, config.stopGrace());
            }
        }
        try {
            LocalRuntime.deleteTree(dir);
        } catch (IOException e) {
            throw new WorkspaceRuntimeException("unpublish " + publishId + ": remove " + dir + ": " + e.getMessage(), e);
        }
        log.info("published app {} removed", publishId);
    }

    List<PublishState> published() {
        return apps.values().stream().map(Published::state).sorted(Comparator.comparing(PublishState::publishId)).toList();
    }

    Set<Integer> ports() {
        Set<Integer> used = new HashSet<>();
        apps.values().forEach(a -> {
            if (a.record.port() > 0) {
                used.add(a.record.port());
            }
        });
        return used;
    }

    void close() {
        closed = true;
    }

    // ---- snapshot ----------------------------------------------------------------------------

    private Published snapshot(PublishSpec spec, Path workspaceHome) {
        if (workspaceHome == null || !Files.isDirectory(workspaceHome)) {
            throw new WorkspaceRuntimeException("publish " + spec.publishId() + ": workspace " + spec.workspaceId()
                    + " is not on this agent");
        }
        Published app = new Published(root.resolve(spec.publishId()), new PublishRecord(spec, 0, WorkspacePhase.STOPPED, "", null));
        Path partial = app.dir.resolve("app.partial");
        try {
            LocalRuntime.deleteTree(app.dir);
            Files.createDirectories(app.logs());
            copyTree(workspaceHome, partial);
            Files.move(partial, app.app(), StandardCopyOption.ATOMIC_MOVE);
            app.persist();
        } catch (IOException e) {
            try {
                LocalRuntime.deleteTree(app.dir);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new WorkspaceRuntimeException("publish " + spec.publishId() + ": snapshot of workspace "
                    + spec.workspaceId() + ": " + e.getMessage(), e);
        }
        log.info("published app {}: snapshot of workspace {} in {}", spec.publishId(), spec.workspaceId(), app.app());
        return app;
    }

    /** Files, directories and symbolic links as links (a link out of the workspace is not followed). */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---- processes ---------------------------------------------------------------------------

    private void exited(Published app, ProcessHandle handle, Integer status, long startedAt) {
        if (closed) {
            return;
        }
        synchronized (app) {
            if (app.process != handle) {
                return; // unpublished, or replaced by a newer start
            }
            app.process = null;
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            long lived = clock.millis() - startedAt;
            boolean failed = status != null && status != 0 && lived < config.failFastWindow().toMillis();
            String reason = status == null ? "start command exited (status unknown: adopted after an agent restart)"
                    : "start command exited with status " + status + (failed ? " right after start (see logs/start.log)" : "");
            app.updateQuietly(app.record.with(app.record.port(), failed ? WorkspacePhase.FAILED : WorkspacePhase.STOPPED, reason, null));
        }
        log.info("published app {}: {}", app.record.spec().publishId(), app.record.reason());
    }

    private void loadExisting() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(RECORD);
                if (!Files.isRegularFile(file)) {
                    // A snapshot interrupted before its record was written: never published.
                    LocalRuntime.deleteTree(dir);
                    continue;
                }
                try {
                    Published app = new Published(dir, JsonFiles.read(file, PublishRecord.class));
                    adopt(app);
                    apps.put(app.record.spec().publishId(), app);
                } catch (IOException | RuntimeException e) {
                    log.error("published app directory {}: cannot read {}: {}", dir, RECORD, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list published apps in " + root, e);
        }
    }

    private void adopt(Published app) throws IOException {
        PublishRecord record = app.record;
        if (record.phase() != WorkspacePhase.RUNNING) {
            return;
        }
        WorkspaceRecord.ProcessRef ref = record.process();
        Optional<ProcessHandle> alive = ref == null ? Optional.empty() : ProcessHandle.of(ref.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> ref.processStartMillis() >= 0
                        && LocalRuntime.startInstant(h).map(start -> start == ref.processStartMillis()).orElse(false));
        if (alive.isPresent()) {
            app.process = alive.get();
            alive.get().onExit().thenAccept(h -> exited(app, h, null, ref.startedAtMillis()));
            log.info("published app {}: adopted running process {}", record.spec().publishId(), ref.pid());
        } else {
            app.update(record.with(record.port(), WorkspacePhase.STOPPED, "start command was no longer running when the agent started", null));
        }
    }

    private Set<Integer> portsInUseExcept(String publishId) {
        Set<Integer> used = new HashSet<>();
        apps.forEach((id, a) -> {
            if (!id.equals(publishId) && a.record.port() > 0) {
                used.add(a.record.port());
            }
        });
        return used;
    }

    /** Built from scratch like a workspace's; the workspace's own secrets are not production's. */
    private static Map<String, String> environment(Published app, int port) {
        Map<String, String> env = new HashMap<>();
        for (String inherited : List.of("PATH", "LANG", "LC_ALL", "TZ")) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.put("PORT", String.valueOf(port));
        env.put("RDE_PUBLISH_ID", app.record.spec().publishId());
        env.put("HOME", app.app().toString());
        return env;
    }

    private void rotate(Published app) {
        try {
            if (Files.isRegularFile(app.startLog()) && Files.size(app.startLog()) > config.logLimitBytes()) {
                Files.move(app.startLog(), app.logs().resolve("start.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("published app {}: rotate {}: {}", app.record.spec().publishId(), app.startLog(), e.toString());
        }
    }

    /** One published app; fields guarded by the instance's monitor. */
    private static final class Published {

        final Path dir;
        volatile PublishRecord record;
        ProcessHandle process;

        Published(Path dir, PublishRecord record) {
            this.dir = dir;
            this.record = record;
        }

        Path app() {
            return dir.resolve("app");
        }

        Path logs() {
            return dir.resolve("logs");
        }

        Path startLog() {
            return logs().resolve("start.log");
        }

        synchronized PublishState state() {
            PublishSpec spec = record.spec();
            WorkspacePhase phase = record.phase();
            String reason = record.reason();
            if (phase == WorkspacePhase.RUNNING && process == null) {
                phase = WorkspacePhase.STOPPED;
                reason = "start command is not running";
            }
            String endpoint = record.port() > 0 ? LocalRuntime.LOOPBACK.getHostAddress() + ":" + record.port() : "";
            return new PublishState(spec.publishId(), spec.name(), phase, endpoint, reason);
        }

        synchronized void update(PublishRecord next) {
            record = next;
            try {
                persist();
            } catch (IOException e) {
                throw new WorkspaceRuntimeException("published app " + next.spec().publishId() + ": write " + RECORD + ": " + e.getMessage(), e);
            }
        }

        synchronized void updateQuietly(PublishRecord next) {
            record = next;
            try {
                persist();
            } catch (IOException e) {
                log.error("published app {}: write {}: {}", next.spec().publishId(), RECORD, e.toString());
            }
        }

        void persist() throws IOException {
            JsonFiles.write(dir.resolve(RECORD), record);
        }
    }
}
