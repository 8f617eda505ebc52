package dev.rdeportal.agent.runtime.local;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import dev.rdeportal.agent.io.JsonFiles;
import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as process trees on the agent's host, each in {@code <root>/<workspaceId>/}:
 * <pre>
 *   workspace.json   spec, assigned ports, phase, pid + start instant of the running tree
 *   home/            the user's files; HOME and working directory
 *   logs/start.log   output of the start command (rotated to start.log.1 past the size limit)
 * </pre>
 * Published apps live beside them in {@code <root>/.published/} (see {@link LocalPublisher}).
 * Workspace processes are not children that die with the agent (unless bubblewrap's
 * {@code --die-with-parent} applies), so a restarted agent re-adopts trees that are still running,
 * recognising them by pid AND start instant because pids are reused.
 */
public final class LocalRuntime implements WorkspaceRuntime {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.local");
    private static final String RECORD = "workspace.json";
    static final InetAddress LOOPBACK = loopback();

    private final LocalRuntimeConfig config;
    private final Sandbox sandbox;
    private final Clock clock;
    private final ConcurrentMap<String, LocalWorkspace> workspaces = new ConcurrentHashMap<>();
    private final List<Consumer<WorkspaceState>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService housekeeping;
    private final LocalPublisher publisher;
    /** Port assignment looks at every workspace at once, so two parallel starts must not interleave. */
    private final Object portLock = new Object();
    private volatile boolean closed;

    /** Opens the runtime with bubblewrap if it works on this host, re-adopting surviving workspaces. */
    public static LocalRuntime open(LocalRuntimeConfig config) {
        return new LocalRuntime(config, Sandbox.detect(), Clock.systemUTC());
    }

    LocalRuntime(LocalRuntimeConfig config, Sandbox sandbox, Clock clock) {
        this.config = config;
        this.sandbox = sandbox;
        this.clock = clock;
        try {
            Files.createDirectories(config.root());
        } catch (IOException e) {
            throw new UncheckedIOException("create workspace directory " + config.root(), e);
        }
        loadExisting();
        this.publisher = new LocalPublisher(config, sandbox, clock, portLock, this::workspacePorts);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-local-runtime-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long every = config.logCheckInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::rotateLogs, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public WorkspaceState provision(WorkspaceSpec spec) {
        LocalWorkspace ws = workspaces.computeIfAbsent(spec.workspaceId(), id -> create(spec));
        return launch(ws, spec, "provision");
    }

    @Override
    public WorkspaceState start(WorkspaceSpec spec) {
        LocalWorkspace ws = workspaces.get(spec.workspaceId());
        if (ws == null) {
            // The control plane starts a workspace this agent lost (its files are gone): provision it
            // afresh rather than refuse, which is what the user was told would happen.
            log.info("workspace {} unknown here; provisioning it afresh", spec.workspaceId());
            return provision(spec);
        }
        return launch(ws, spec, "start");
    }

    @Override
    public WorkspaceState stop(String workspaceId) {
        LocalWorkspace ws = workspaces.get(workspaceId);
        if (ws == null) {
            return WorkspaceState.missing(workspaceId);
        }
        ProcessHandle tree;
        synchronized (ws) {
            tree = ws.process;
            // Clearing first tells the exit watcher this exit was asked for, not a crash.
            ws.process = null;
            ws.update(ws.record.withPhase(WorkspacePhase.STOPPED, "", null));
        }
        if (tree != null) {
            terminate("workspace " + workspaceId, tree, config.stopGrace());
        }
        return ws.state();
    }

    @Override
    public void delete(String workspaceId) {
        WorkspaceSpec.requireValidId(workspaceId);
        stop(workspaceId);
        LocalWorkspace removed = workspaces.remove(workspaceId);
        Path dir = removed != null ? removed.dir : config.root().resolve(workspaceId);
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new WorkspaceRuntimeException("delete workspace " + workspaceId + ": remove " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<WorkspaceState> inventory() {
        return workspaces.values().stream()
                .map(LocalWorkspace::state)
                .sorted(Comparator.comparing(WorkspaceState::workspaceId))
                .toList();
    }

    @Override
    public WorkspaceState state(String workspaceId) {
        LocalWorkspace ws = workspaces.get(workspaceId);
        return ws == null ? WorkspaceState.missing(workspaceId) : ws.state();
    }

    @Override
    public Optional<InetSocketAddress> portAddress(String workspaceId, int port) {
        WorkspaceState state = state(workspaceId);
        if (state.phase() != WorkspacePhase.RUNNING) {
            return Optional.empty();
        }
        return Optional.ofNullable(state.ports().get(port)).map(p -> new InetSocketAddress(LOOPBACK, p));
    }

    @Override
    public TerminalProcess openTerminal(String workspaceId, String command, int cols, int rows) {
        if (cols <= 0 || rows <= 0) {
            throw new IllegalArgumentException("open terminal in workspace " + workspaceId
                    + ": size must be positive, got " + cols + "x" + rows);
        }
        LocalWorkspace ws = workspaces.get(workspaceId);
        if (ws == null) {
            throw new WorkspaceRuntimeException("open terminal in workspace " + workspaceId + ": no such workspace on this agent");
        }
        WorkspaceState state = ws.state();
        if (state.phase() != WorkspacePhase.RUNNING) {
            throw new WorkspaceRuntimeException("open terminal in workspace " + workspaceId + ": workspace is " + state.phase());
        }
        List<String> shell = command == null || command.isBlank()
                ? List.of("bash", "-l")
                : List.of("bash", "-lc", command);
        Map<String, String> env = environment(ws.record.spec(), ws.record.ports(), ws.home());
        env.put("TERM", "xterm-256color");
        try {
            PtyProcess process = new PtyProcessBuilder(withWindowSize(cols, rows, sandbox.wrap(ws.dir, ws.home(), shell)))
                    .setDirectory(ws.home().toString())
                    .setEnvironment(env)
                    .setInitialColumns(cols)
                    .setInitialRows(rows)
                    .setRedirectErrorStream(true)
                    .start();
            return new PtyTerminal(workspaceId, process);
        } catch (IOException e) {
            throw new WorkspaceRuntimeException("open terminal in workspace " + workspaceId + ": " + e.getMessage(), e);
        }
    }

    /**
     * pty4j applies the initial window size only after the child is spawned, so a program that
     * asks at once (a shell prompt, {@code stty size}, a TUI) may see 0x0. The child therefore
     * sets the size on its own terminal before exec'ing the real command.
     */
    private static String[] withWindowSize(int cols, int rows, List<String> command) {
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c",
                "stty cols \"$1\" rows \"$2\" 2>/dev/null; shift 2; exec \"$@\"",
                "rde-terminal", String.valueOf(cols), String.valueOf(rows)));
        line.addAll(command);
        return line.toArray(String[]::new);
    }

    /** Copies the workspace's home now, whether the workspace runs or not: its files are on disk either way. */
    @Override
    public PublishState publish(PublishSpec spec) {
        LocalWorkspace ws = workspaces.get(spec.workspaceId());
        return publisher.publish(spec, ws == null ? null : ws.home());
    }

    @Override
    public void unpublish(String publishId) {
        WorkspaceSpec.requireValidId(publishId);
        publisher.unpublish(publishId);
    }

    @Override
    public List<PublishState> published() {
        return publisher.published();
    }

    @Override
    public void onChange(Consumer<WorkspaceState> listener) {
        listeners.add(listener);
    }

    /** Stops watching; the workspaces keep running and a later instance adopts them. */
    @Override
    public void close() {
        closed = true;
        publisher.close();
        housekeeping.shutdownNow();
    }

    // ---- lifecycle -------------------------------------------------------------------------

    private LocalWorkspace create(WorkspaceSpec spec) {
        Path dir = config.root().resolve(spec.workspaceId());
        LocalWorkspace ws = new LocalWorkspace(dir, new WorkspaceRecord(spec, Map.of(), WorkspacePhase.STOPPED, "", null));
        try {
            Files.createDirectories(ws.home());
            Files.createDirectories(ws.logs());
            ws.persist();
        } catch (IOException e) {
            throw new WorkspaceRuntimeException("provision workspace " + spec.workspaceId() + ": create " + dir + ": " + e.getMessage(), e);
        }
        log.info("workspace {} created in {}", spec.workspaceId(), dir);
        return ws;
    }

    private WorkspaceState launch(LocalWorkspace ws, WorkspaceSpec spec, String step) {
        synchronized (ws) {
            WorkspaceState current = ws.state();
            if (current.phase() == WorkspacePhase.RUNNING) {
                return current;
            }
            Map<Integer, Integer> ports;
            synchronized (portLock) {
                ports = assignPorts(spec, ws.record.ports(), portsInUseExcept(spec.workspaceId()));
                // Recorded before the process starts so a parallel start cannot pick the same ports.
                ws.update(new WorkspaceRecord(spec, ports, ws.record.phase(), ws.record.reason(), null));
            }
            if (spec.shellOnly()) {
                ws.update(ws.record.withPhase(WorkspacePhase.RUNNING, "", null));
                log.info("workspace {} running (shell only)", spec.workspaceId());
                return ws.state();
            }
            try {
                rotate(ws.startLog());
                ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(ws.dir, ws.home(), List.of("bash", "-lc", spec.startCommand())))
                        .directory(ws.home().toFile())
                        .redirectErrorStream(true)
                        // A file, not a pipe: a surviving tree must keep writing after the agent dies.
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(ws.startLog().toFile()));
                builder.environment().clear();
                builder.environment().putAll(environment(spec, ports, ws.home()));
                Process process = builder.start();
                process.getOutputStream().close();
                ProcessHandle handle = process.toHandle();
                long startedAt = clock.millis();
                WorkspaceRecord.ProcessRef ref = new WorkspaceRecord.ProcessRef(
                        handle.pid(), startInstant(handle).orElse(-1L), startedAt);
                ws.process = handle;
                ws.update(ws.record.withPhase(WorkspacePhase.RUNNING, "", ref));
                process.onExit().thenAccept(p -> exited(ws, handle, p.exitValue(), startedAt));
                log.info("workspace {} started (pid {}, ports {})", spec.workspaceId(), handle.pid(), ports);
                return ws.state();
            } catch (IOException e) {
                String reason = "start command could not be launched: " + e.getMessage();
                ws.updateQuietly(ws.record.withPhase(WorkspacePhase.FAILED, reason, null));
                throw new WorkspaceRuntimeException(step + " workspace " + spec.workspaceId() + ": " + reason, e);
            }
        }
    }

    /** Called when a watched tree's root ends; {@code status} is null for an adopted tree. */
    private void exited(LocalWorkspace ws, ProcessHandle handle, Integer status, long startedAt) {
        if (closed) {
            return;
        }
        WorkspaceState changed;
        synchronized (ws) {
            if (ws.process != handle) {
                return; // stopped on request, or replaced by a newer start
            }
            ws.process = null;
            // Children of the root may outlive it; they belong to a workspace that is no longer running.
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            long lived = clock.millis() - startedAt;
            WorkspacePhase phase;
            String reason;
            if (status == null) {
                phase = WorkspacePhase.STOPPED;
                reason = "start command exited (status unknown: adopted after an agent restart)";
            } else if (status != 0 && lived < config.failFastWindow().toMillis()) {
                phase = WorkspacePhase.FAILED;
                reason = "start command exited with status " + status + " right after start (see logs/start.log)";
            } else {
                phase = WorkspacePhase.STOPPED;
                reason = "start command exited with status " + status;
            }
            ws.updateQuietly(ws.record.withPhase(phase, reason, null));
            changed = ws.state();
        }
        log.info("workspace {}: {}", changed.workspaceId(), changed.reason());
        for (Consumer<WorkspaceState> listener : listeners) {
            try {
                listener.accept(changed);
            } catch (RuntimeException e) {
                log.warn("workspace change listener failed for {}", changed.workspaceId(), e);
            }
        }
    }

    /**
     * SIGTERM to the whole tree, then SIGKILL to what is left after the grace period. The tree is
     * taken again before killing: a process may have forked while the others were shutting down.
     */
    static void terminate(String what, ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, grace)) {
            List<ProcessHandle> left = Stream.concat(tree.stream(), tree.stream().flatMap(ProcessHandle::descendants))
                    .filter(ProcessHandle::isAlive).distinct().toList();
            log.warn("{}: {} process(es) ignored SIGTERM for {}; killing them", what, left.size(), grace);
            left.forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(left, Duration.ofSeconds(5))) {
                throw new WorkspaceRuntimeException("stop " + what + ": processes survived SIGKILL");
            }
        }
        log.info("{} stopped", what);
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return processes.stream().noneMatch(ProcessHandle::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- agent restart -----------------------------------------------------------------------

    private void loadExisting() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(config.root(), Files::isDirectory)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(RECORD);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    WorkspaceRecord record = JsonFiles.read(file, WorkspaceRecord.class);
                    LocalWorkspace ws = new LocalWorkspace(dir, record);
                    adopt(ws);
                    workspaces.put(record.spec().workspaceId(), ws);
                } catch (IOException | RuntimeException e) {
                    // Keep going: one unreadable workspace must not hide all the others.
                    log.error("workspace directory {}: cannot read {}: {}", dir, RECORD, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list workspaces in " + config.root(), e);
        }
        log.info("local runtime: {} workspace(s) in {}", workspaces.size(), config.root());
    }

    private void adopt(LocalWorkspace ws) throws IOException {
        WorkspaceRecord record = ws.record;
        if (record.phase() != WorkspacePhase.RUNNING || record.spec().shellOnly()) {
            return; // nothing to adopt: stopped, failed, or shell-only (which has no process)
        }
        WorkspaceRecord.ProcessRef ref = record.process();
        Optional<ProcessHandle> alive = ref == null ? Optional.empty() : ProcessHandle.of(ref.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> ref.processStartMillis() >= 0
                        && startInstant(h).map(start -> start == ref.processStartMillis()).orElse(false));
        if (alive.isPresent()) {
            ProcessHandle handle = alive.get();
            ws.process = handle;
            handle.onExit().thenAccept(h -> exited(ws, h, null, ref.startedAtMillis()));
            log.info("workspace {}: adopted running process {}", record.spec().workspaceId(), ref.pid());
        } else {
            ws.update(record.withPhase(WorkspacePhase.STOPPED, "start command was no longer running when the agent started", null));
            log.info("workspace {}: start command no longer running; now STOPPED", record.spec().workspaceId());
        }
    }

    static Optional<Long> startInstant(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli);
    }

    // ---- ports, environment, logs --------------------------------------------------------------

    private Set<Integer> portsInUseExcept(String workspaceId) {
        Set<Integer> used = new HashSet<>();
        workspaces.forEach((id, ws) -> {
            if (!id.equals(workspaceId)) {
                used.addAll(ws.record.ports().values());
            }
        });
        used.addAll(publisher.ports());
        return used;
    }

    private Set<Integer> workspacePorts() {
        Set<Integer> used = new HashSet<>();
        workspaces.values().forEach(ws -> used.addAll(ws.record.ports().values()));
        return used;
    }

    /** Keeps a workspace's previous host ports while they are free, so preview URLs stay stable. */
    private static Map<Integer, Integer> assignPorts(WorkspaceSpec spec, Map<Integer, Integer> previous, Set<Integer> taken) {
        Map<Integer, Integer> assigned = new LinkedHashMap<>();
        Set<Integer> avoid = new HashSet<>(taken);
        for (int port : spec.ports()) {
            Integer before = previous.get(port);
            int host = before != null && !avoid.contains(before) && isFree(before) ? before : freePort("workspace " + spec.workspaceId(), avoid);
            assigned.put(port, host);
            avoid.add(host);
        }
        return assigned;
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort(String owner, Set<Integer> avoid) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
                int port = socket.getLocalPort();
                if (!avoid.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new WorkspaceRuntimeException("assign port for " + owner + ": " + e.getMessage(), e);
            }
        }
        throw new WorkspaceRuntimeException("assign port for " + owner + ": no free port found");
    }

    /**
     * The workspace's environment, built from scratch: the agent's own environment may hold its
     * join token or other credentials and must not leak into user processes.
     */
    private static Map<String, String> environment(WorkspaceSpec spec, Map<Integer, Integer> ports, Path home) {
        Map<String, String> env = new HashMap<>();
        for (String inherited : List.of("PATH", "LANG", "LC_ALL", "TZ")) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.putAll(spec.env());
        if (!spec.ports().isEmpty()) {
            env.put("PORT", String.valueOf(ports.get(spec.ports().get(0))));
        }
        ports.forEach((blueprint, host) -> env.put("RDE_PORT_" + blueprint, String.valueOf(host)));
        env.put("RDE_WORKSPACE_ID", spec.workspaceId());
        env.put("HOME", home.toString());
        return env;
    }

    private void rotateLogs() {
        for (LocalWorkspace ws : workspaces.values()) {
            try {
                rotate(ws.startLog());
            } catch (IOException | RuntimeException e) {
                log.warn("workspace {}: rotate {}: {}", ws.record.spec().workspaceId(), ws.startLog(), e.toString());
            }
        }
    }

    /**
     * Moves the log aside once it passes the limit. The writer holds the file open in append mode,
     * so the file is copied and then truncated in place (a rename would leave it writing to the
     * old file); output written between copy and truncate is lost, which a bounded log accepts.
     */
    void rotate(Path logFile) throws IOException {
        if (!Files.isRegularFile(logFile) || Files.size(logFile) <= config.logLimitBytes()) {
            return;
        }
        Files.copy(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One workspace; fields guarded by the instance's monitor. */
    private static final class LocalWorkspace {

        final Path dir;
        /** Volatile: port assignment reads other workspaces' records without their monitors. */
        volatile WorkspaceRecord record;
        /** The running tree's root; null when nothing runs. */
        ProcessHandle process;

        LocalWorkspace(Path dir, WorkspaceRecord record) {
            this.dir = dir;
            this.record = record;
        }

        Path home() {
            return dir.resolve("home");
        }

        Path logs() {
            return dir.resolve("logs");
        }

        Path startLog() {
            return logs().resolve("start.log");
        }

        synchronized WorkspaceState state() {
            String id = record.spec().workspaceId();
            WorkspacePhase phase = record.phase();
            if (phase == WorkspacePhase.RUNNING && !record.spec().shellOnly() && process == null) {
                // Recorded as running but its tree is gone and no watcher has said so yet.
                return new WorkspaceState(id, WorkspacePhase.STOPPED, record.ports(), "start command is not running");
            }
            return new WorkspaceState(id, phase, record.ports(), record.reason());
        }

        synchronized void update(WorkspaceRecord next) {
            record = next;
            try {
                persist();
            } catch (IOException e) {
                throw new WorkspaceRuntimeException("workspace " + next.spec().workspaceId() + ": write " + RECORD + ": " + e.getMessage(), e);
            }
        }

        /** For paths that already report a failure: a second one would only hide the first. */
        synchronized void updateQuietly(WorkspaceRecord next) {
            record = next;
            try {
                persist();
            } catch (IOException e) {
                log.error("workspace {}: write {}: {}", next.spec().workspaceId(), RECORD, e.toString());
            }
        }

        void persist() throws IOException {
            JsonFiles.write(dir.resolve(RECORD), record);
        }
    }
}
