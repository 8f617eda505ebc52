package dev.rdeportal.agent.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rdeportal.agent.runtime.PublishSpec;
import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.TerminalProcess;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalRuntimeTest {

    private static final String HTTP_SERVER = "python3 -m http.server $PORT --bind 127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    private final List<LocalRuntime> opened = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (LocalRuntime runtime : opened) {
            runtime.inventory().forEach(s -> runtime.stop(s.workspaceId()));
            runtime.published().forEach(p -> runtime.unpublish(p.publishId()));
            runtime.close();
        }
    }

    private LocalRuntime runtime() {
        LocalRuntime runtime = new LocalRuntime(
                new LocalRuntimeConfig(dataDir.resolve("workspaces"), Duration.ofSeconds(2), null, 0, null),
                Sandbox.none(), Clock.systemUTC());
        opened.add(runtime);
        return runtime;
    }

    private static WorkspaceSpec web(String id) {
        return WorkspaceSpec.of(id, List.of(8000), Map.of("GREETING", "hi"), HTTP_SERVER);
    }

    @Test
    void provisionedWorkspaceServesHttpOnItsAssignedPortAndStopsStartsAndDeletes() throws Exception {
        LocalRuntime runtime = runtime();

        WorkspaceState running = runtime.provision(web("w-1"));

        assertThat(running.phase()).isEqualTo(WorkspacePhase.RUNNING);
        int port = running.ports().get(8000);
        awaitHttpOk(port);
        assertThat(runtime.portAddress("w-1", 8000)).contains(new InetSocketAddress("127.0.0.1", port));
        long pid = JsonFilesView.pid(dataDir.resolve("workspaces/w-1/workspace.json"));
        List<ProcessHandle> tree = treeOf(pid);

        WorkspaceState stopped = runtime.stop("w-1");

        assertThat(stopped.phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(isListening(port)).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(runtime.portAddress("w-1", 8000)).isEmpty();

        WorkspaceState restarted = runtime.start(web("w-1"));

        assertThat(restarted.phase()).isEqualTo(WorkspacePhase.RUNNING);
        assertThat(restarted.ports()).containsEntry(8000, port); // kept while free
        awaitHttpOk(port);

        runtime.delete("w-1");

        assertThat(dataDir.resolve("workspaces/w-1")).doesNotExist();
        assertThat(isListening(port)).isFalse();
        assertThat(runtime.inventory()).isEmpty();
        runtime.delete("w-1"); // missing is fine
    }

    @Test
    void provisioningTwiceWithTheSameSpecKeepsTheRunningWorkspace() throws Exception {
        LocalRuntime runtime = runtime();
        WorkspaceState first = runtime.provision(web("w-2"));
        awaitHttpOk(first.ports().get(8000));
        long pid = JsonFilesView.pid(dataDir.resolve("workspaces/w-2/workspace.json"));

        WorkspaceState second = runtime.provision(web("w-2"));

        assertThat(second).isEqualTo(first);
        assertThat(JsonFilesView.pid(dataDir.resolve("workspaces/w-2/workspace.json"))).isEqualTo(pid);
        assertThat(runtime.inventory()).containsExactly(second);
    }

    @Test
    void aRestartedAgentAdoptsTheSurvivingProcessTree() throws Exception {
        LocalRuntime before = runtime();
        int port = before.provision(web("w-3")).ports().get(8000);
        before.provision(WorkspaceSpec.of("w-shell", List.of(), Map.of(), ""));
        WorkspaceState stoppedOne = before.provision(WorkspaceSpec.of("w-idle", List.of(), Map.of(), "sleep 30"));
        before.stop("w-idle");
        awaitHttpOk(port);
        before.close(); // the "agent" goes away; its workspaces keep running

        LocalRuntime after = runtime();

        assertThat(after.inventory()).extracting(WorkspaceState::workspaceId, WorkspaceState::phase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("w-3", WorkspacePhase.RUNNING),
                org.assertj.core.groups.Tuple.tuple("w-idle", WorkspacePhase.STOPPED),
                org.assertj.core.groups.Tuple.tuple("w-shell", WorkspacePhase.RUNNING));
        assertThat(stoppedOne.phase()).isEqualTo(WorkspacePhase.RUNNING);
        awaitHttpOk(port);
        assertThat(after.stop("w-3").phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(isListening(port)).isFalse();
    }

    @Test
    void aRestartedAgentReportsAWorkspaceWhoseProcessDiedMeanwhileAsStopped() throws Exception {
        LocalRuntime before = runtime();
        before.provision(WorkspaceSpec.of("w-4", List.of(), Map.of(), "sleep 30"));
        long pid = JsonFilesView.pid(dataDir.resolve("workspaces/w-4/workspace.json"));
        before.close();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));

        LocalRuntime after = runtime();

        assertThat(after.state("w-4").phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(after.state("w-4").reason()).contains("no longer running");
    }

    @Test
    void aStartCommandThatFailsAtOnceIsReportedAsFailedWithAReason() {
        LocalRuntime runtime = runtime();
        List<WorkspaceState> changes = new CopyOnWriteArrayList<>();
        runtime.onChange(changes::add);

        runtime.provision(WorkspaceSpec.of("w-5", List.of(3000), Map.of(), "echo boom >&2; exit 1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !changes.isEmpty());
        WorkspaceState failed = changes.get(0);
        assertThat(failed.phase()).isEqualTo(WorkspacePhase.FAILED);
        assertThat(failed.reason()).contains("status 1");
        assertThat(runtime.state("w-5")).isEqualTo(failed);
        assertThat(dataDir.resolve("workspaces/w-5/logs/start.log")).content().contains("boom");
    }

    @Test
    void startCommandSeesTheWorkspaceEnvironmentAndRunsInHome() throws Exception {
        LocalRuntime runtime = runtime();
        List<WorkspaceState> changes = new CopyOnWriteArrayList<>();
        runtime.onChange(changes::add);

        WorkspaceState state = runtime.provision(WorkspaceSpec.of("w-6", List.of(8080, 9090), Map.of("GREETING", "hello"),
                "echo \"$GREETING $PORT $RDE_PORT_9090 $RDE_WORKSPACE_ID $HOME ${RDE_AGENT_JOIN_TOKEN:-none}\" > out.txt"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !changes.isEmpty());
        Path home = dataDir.resolve("workspaces/w-6/home").toAbsolutePath();
        assertThat(Files.readString(home.resolve("out.txt")).strip()).isEqualTo(
                "hello " + state.ports().get(8080) + " " + state.ports().get(9090) + " w-6 " + home + " none");
        assertThat(changes.get(0).phase()).isEqualTo(WorkspacePhase.STOPPED);
        assertThat(changes.get(0).reason()).isEqualTo("start command exited with status 0");
    }

    @Test
    void terminalWindowSizeAppliesAtStartAndAfterResize() throws Exception {
        LocalRuntime runtime = runtime();
        runtime.provision(WorkspaceSpec.of("w-7", List.of(), Map.of(), ""));

        try (TerminalProcess terminal = runtime.openTerminal("w-7", "stty size; read line; stty size", 100, 30)) {
            TerminalReader reader = new TerminalReader(terminal.output());
            assertThat(reader.nextSize()).isEqualTo("30 100");

            terminal.resize(120, 40);
            terminal.input().write("\n".getBytes(StandardCharsets.UTF_8));
            terminal.input().flush();

            assertThat(reader.nextSize()).isEqualTo("40 120");
            assertThat(terminal.waitFor(Duration.ofSeconds(10))).hasValue(0);
        }
    }

    @Test
    void terminalOutputSaysWhetherAReadWouldReturnAtOnce() throws Exception {
        LocalRuntime runtime = runtime();
        runtime.provision(WorkspaceSpec.of("w-8", List.of(), Map.of(), ""));

        try (TerminalProcess terminal = runtime.openTerminal("w-8", "printf ready; read line", 80, 24)) {
            InputStream output = terminal.output();
            await().atMost(Duration.ofSeconds(10)).until(() -> output.available() > 0);
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (seen.indexOf("ready") < 0) {
                int n = output.read(buffer);
                assertThat(n).isPositive();
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            // The shell now waits for a line: nothing is ready, and a read would block.
            assertThat(output.available()).isZero();

            terminal.input().write("x\n".getBytes(StandardCharsets.UTF_8));
            terminal.input().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> output.available() > 0);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void writeNowNeverBlocksOnAProcessThatDoesNotReadAndTheBlockingWriteWaitsForIt() throws Exception {
        LocalRuntime runtime = runtime();
        runtime.provision(WorkspaceSpec.of("w-9", List.of(), Map.of(), ""));

        // Raw mode: the line discipline passes bytes on as they come, so nothing is lost to line editing.
        try (TerminalProcess terminal = runtime.openTerminal("w-9",
                "stty raw -echo; printf ready; sleep 3; dd of=/dev/null bs=1k count=8 2>/dev/null; printf drained; sleep 30", 80, 24)) {
            TerminalReader reader = new TerminalReader(terminal.output());
            reader.await("ready");
            byte[] chunk = new byte[4096];
            java.util.Arrays.fill(chunk, (byte) 'x');
            long taken = 0;
            int n;
            // The process reads nothing for 3 s: the PTY fills, and then takes nothing more, at once.
            while ((n = terminal.writeNow(chunk, 0, chunk.length)) > 0) {
                taken += n;
                assertThat(taken).isLessThan(16L << 20);
            }
            assertThat(n).isZero();
            assertThat(taken).isPositive();
            // Full, it stays (nearly) full and never makes the writer wait. The kernel may still
            // move a few bytes on towards the process after answering "full" (it does so
            // asynchronously), so a later write may take a little, but not much, and at once: a
            // write that waited would wait the 3 s until the process reads.
            long more = 0;
            for (int i = 0; i < 20; i++) {
                long before = System.nanoTime();
                int k = terminal.writeNow(chunk, 0, chunk.length);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
                assertThat(k).isNotNegative();
                more += k;
            }
            assertThat(more).isLessThan(16 * 1024L);

            // A blocking write waits until the process reads, then completes.
            long start = System.nanoTime();
            terminal.input().write(chunk, 0, 10);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(100));
            reader.await("drained");
        }
    }

    // ---- publishing ---------------------------------------------------------------------------

    private static final PublishSpec SHOP = new PublishSpec("p-1", "w-pub", "shop", 8000, HTTP_SERVER);

    @Test
    void aPublishedAppServesASnapshotOnItsOwnPortAndOutlivesItsWorkspace() throws Exception {
        LocalRuntime runtime = runtime();
        int workspacePort = runtime.provision(web("w-pub")).ports().get(8000);
        Path home = dataDir.resolve("workspaces/w-pub/home");
        Files.writeString(home.resolve("index.html"), "v1");
        Files.createDirectories(home.resolve("static"));
        Files.writeString(home.resolve("static/app.js"), "let v = 1;");

        PublishState published = runtime.publish(SHOP);

        assertThat(published.phase()).isEqualTo(WorkspacePhase.RUNNING);
        assertThat(published.name()).isEqualTo("shop");
        assertThat(published.endpoint()).startsWith("127.0.0.1:");
        int port = Integer.parseInt(published.endpoint().substring("127.0.0.1:".length()));
        assertThat(port).isNotEqualTo(workspacePort);
        awaitHttpOk(port);
        assertThat(body(port, "/index.html")).isEqualTo("v1");
        assertThat(body(port, "/static/app.js")).isEqualTo("let v = 1;");

        Files.writeString(home.resolve("index.html"), "v2");
        assertThat(body(port, "/index.html")).as("a snapshot, not a view of the workspace").isEqualTo("v1");
        assertThat(runtime.publish(SHOP)).as("publishing again changes nothing").isEqualTo(published);

        runtime.delete("w-pub");

        assertThat(body(port, "/index.html")).isEqualTo("v1");
        assertThat(runtime.published()).extracting(PublishState::publishId, PublishState::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p-1", WorkspacePhase.RUNNING));
        long pid = dev.rdeportal.agent.io.JsonFiles.read(dataDir.resolve("workspaces/.published/p-1/published.json"),
                PublishRecord.class).process().pid();
        List<ProcessHandle> tree = treeOf(pid);

        runtime.unpublish("p-1");
        runtime.unpublish("p-1");

        assertThat(isListening(port)).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(dataDir.resolve("workspaces/.published/p-1")).doesNotExist();
        assertThat(runtime.published()).isEmpty();
    }

    @Test
    void aRestartedAgentAdoptsARunningPublishedApp() throws Exception {
        LocalRuntime before = runtime();
        before.provision(WorkspaceSpec.of("w-pub", List.of(), Map.of(), ""));
        Files.writeString(dataDir.resolve("workspaces/w-pub/home/index.html"), "published");
        PublishState published = before.publish(SHOP);
        int port = Integer.parseInt(published.endpoint().substring("127.0.0.1:".length()));
        awaitHttpOk(port);
        before.close();

        LocalRuntime after = runtime();

        assertThat(after.published()).containsExactly(published);
        assertThat(after.inventory()).extracting(WorkspaceState::workspaceId).containsExactly("w-pub");
        assertThat(body(port, "/index.html")).isEqualTo("published");
        WorkspaceState other = after.provision(web("w-other"));
        assertThat(other.ports().get(8000)).as("a workspace never gets a published app's port").isNotEqualTo(port);
        after.unpublish("p-1");
        assertThat(isListening(port)).isFalse();
    }

    @Test
    void publishingAnUnknownWorkspaceIsRefusedAndLeavesNothing() {
        LocalRuntime runtime = runtime();

        assertThatThrownBy(() -> runtime.publish(SHOP))
                .isInstanceOf(WorkspaceRuntimeException.class)
                .hasMessageContaining("workspace w-pub is not on this agent");
        assertThat(runtime.published()).isEmpty();
        assertThat(dataDir.resolve("workspaces/.published/p-1")).doesNotExist();
    }

    private static String body(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void awaitHttpOk(int port) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<ProcessHandle> treeOf(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        return tree;
    }

    /** Reads what the terminal shows until a "rows cols" line appears. */
    private static final class TerminalReader {
        private static final Pattern SIZE = Pattern.compile("(?m)^(\\d+ \\d+)\\r?$");
        private final InputStream in;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private int consumed;

        TerminalReader(InputStream in) {
            this.in = in;
        }

        void await(String text) throws IOException {
            byte[] buffer = new byte[1024];
            while (seen.toString(StandardCharsets.UTF_8).indexOf(text, consumed) < 0) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("terminal closed; output so far: " + seen.toString(StandardCharsets.UTF_8));
                }
                seen.write(buffer, 0, n);
            }
            consumed = seen.toString(StandardCharsets.UTF_8).indexOf(text, consumed) + text.length();
        }

        String nextSize() throws IOException {
            byte[] buffer = new byte[1024];
            while (true) {
                Matcher m = SIZE.matcher(seen.toString(StandardCharsets.UTF_8));
                if (m.find(consumed)) {
                    consumed = m.end();
                    return m.group(1);
                }
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("terminal closed; output so far: " + seen.toString(StandardCharsets.UTF_8));
                }
                seen.write(buffer, 0, n);
            }
        }
    }

    /** Reads the recorded pid the way an operator would: from workspace.json. */
    private static final class JsonFilesView {
        static long pid(Path record) throws IOException {
            return dev.rdeportal.agent.io.JsonFiles.read(record, WorkspaceRecord.class).process().pid();
        }
    }
}
