package dev.rdeportal.bench;

import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.OidcLogin;
import dev.rdeportal.portal.support.PortalHarness;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Preview proxy overhead (issue #4): one fast app ({@link PreviewBenchApp}) reached four ways, side
 * by side in one run, rounds interleaved so the shared machine's load hits every path alike:
 * <ul>
 *   <li>{@code direct}: the app's own port;</li>
 *   <li>{@code chain}: the portal's preview origin ({@code Host: p8000--<ws>.preview.localhost},
 *       the {@code rde_preview} cookie) → TLS gRPC tunnel → agent → app, with the portal as
 *       {@code java -jar portal/target/rde-portal.jar} and the local agent it spawns;</li>
 *   <li>{@code proxy}: a minimal single-hop Reactor Netty proxy in its own JVM (this class, {@code proxy}
 *       mode), streaming each request with Reactor Netty's HttpClient;</li>
 *   <li>{@code ssh -R}: Debian's sshd on a spare loopback port and {@code ssh -N -R}, the classic
 *       outbound tunnel.</li>
 * </ul>
 * Small responses with {@code wrk --latency} (8 connections, then 1), bulk with curl downloading
 * 1,000,000,000 bytes to /dev/null, RSS of portal and agent sampled from /proc every 200 ms during
 * the chain's downloads. Run with {@code bench/run.sh preview [all|small|bulk|hold]} ({@code hold}
 * sets everything up, prints the wrk command of each path and waits for Ctrl-C); results go in
 * bench/RESULTS.md. Needs wrk, curl, openssh-server and openssh-client.
 */
public final class PreviewBench {

    static final Path ROOT = Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize();
    static final Path PORTAL_JAR = ROOT.resolve("portal/target/rde-portal.jar");
    static final Path AGENT_JAR = ROOT.resolve("agent/target/rde-agent.jar");
    /** Settings: RDE_BENCH_BULK_BYTES, RDE_BENCH_BULK_WARMUP_BYTES, RDE_BENCH_ROUNDS, RDE_BENCH_SMALL_SECONDS, RDE_BENCH_WARMUP_SECONDS in the environment. */
    static final long BULK = setting("RDE_BENCH_BULK_BYTES", 1_000_000_000L);
    static final int ROUNDS = (int) setting("RDE_BENCH_ROUNDS", 2);
    static final int SMALL_SECONDS = (int) setting("RDE_BENCH_SMALL_SECONDS", 15);
    /** wrk -c8 on every path before measuring: the chain is still JIT-compiling after a few thousand requests. */
    static final int WARMUP_SECONDS = (int) setting("RDE_BENCH_WARMUP_SECONDS", 30);
    /**
     * Bytes downloaded through every path, alike, before the bulk rounds. The chain is two JVMs still
     * compiling after the small-request warm-up: with 200 MB, its first 1 GB round ran 8 s of C1/C2
     * compilation beside the relay and the second still 1.7 s (session 7, bulk7), so the rounds
     * measured the JIT. The bench prints the chain's compilations per round to show it is done.
     */
    static final long BULK_WARMUP = setting("RDE_BENCH_BULK_WARMUP_BYTES", 2_000_000_000L);
    /** The chain's JIT counts as settled once a 10 s wrk window costs its two JVMs less compiler time than this. */
    static final long SETTLED_JIT_MS = 500;
    static final int MAX_EXTRA_WARMUP_WINDOWS = 12;
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String JSTAT = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
    static final String PORTAL_HEAP = System.getProperty("bench.portalHeap", "-Xmx768m");

    /** One way to reach the app: where to connect and which headers to send. */
    record Route(String name, int port, Map<String, String> headers, java.util.function.Supplier<List<Long>> pids) {
    }

    /** cpuMs: CPU time (user + system) the path's own processes used during the run, app and client excluded. */
    record Wrk(double rps, double p50, double p99, long errors, long requests, long cpuMs, String raw) {
    }

    record Bulk(double mbps, long bytes, double seconds, long cpuMs) {
    }

    record Rss(long startKb, long maxKb, long endKb, int samples) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f → max %.1f → %.1f MiB (max − start %+.1f MiB, %d samples)",
                    startKb / 1024.0, maxKb / 1024.0, endKb / 1024.0, (maxKb - startKb) / 1024.0, samples);
        }
    }

    private static final List<Process> started = new ArrayList<>();
    private static Process sshd;
    private static Process ssh;
    private static Path work;

    private PreviewBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("proxy")) {
            proxy(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        String which = args.length == 0 ? "all" : args[0];
        for (String tool : List.of("wrk", "curl", "ssh", "ssh-keygen")) {
            if (run(List.of("sh", "-c", "command -v " + tool)).isBlank()) {
                throw new IllegalStateException(tool + " is missing: apt-get install -y wrk curl openssh-server openssh-client");
            }
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            throw new IllegalStateException("/usr/sbin/sshd is missing: apt-get install -y openssh-server");
        }
        work = Files.createTempDirectory("rde-preview-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(PreviewBench::stopAll));
        System.out.printf("machine: %d cores, %s %s, load %s; portal jar %s (%s), agent jar %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("java.version"),
                load(), PORTAL_JAR, Files.getLastModifiedTime(PORTAL_JAR), AGENT_JAR, Files.getLastModifiedTime(AGENT_JAR));
        System.out.printf("work dir: %s; %d rounds, wrk %d s after %d s warm-up, bulk %d bytes after %d bytes of warm-up%n",
                work, ROUNDS, SMALL_SECONDS, WARMUP_SECONDS, BULK, BULK_WARMUP);
        try {
            Setup setup = setUp();
            List<Route> routes = List.of(
                    new Route("direct", setup.appPort, Map.of(), List::of),
                    new Route("chain", setup.portalPort, Map.of("Host", setup.previewHost, "Cookie", "rde_preview=" + setup.cookie),
                            () -> List.of(setup.portalPid, setup.agentPid)),
                    new Route("proxy", setup.proxyPort, Map.of(), () -> List.of(setup.proxyPid)),
                    new Route("ssh -R", setup.sshPort, Map.of(), PreviewBench::sshPids));
            for (Route r : routes) {
                check(r);
            }
            if (which.equals("hold")) {
                // Everything set up and left running for manual probing (wrk, curl, profilers) until Ctrl-C.
                for (Route r : routes) {
                    StringBuilder h = new StringBuilder();
                    r.headers.forEach((k, v) -> h.append(" -H '").append(k).append(": ").append(v).append('\''));
                    System.out.printf("%-7s wrk -t1 -c8 -d15s --latency%s http://127.0.0.1:%d/small%n", r.name, h, r.port);
                }
                System.out.printf("pids: portal %d, agent %d, proxy %d; holding until interrupted%n",
                        setup.portalPid, setup.agentPid, setup.proxyPid);
                Thread.sleep(Long.MAX_VALUE);
            }
            warmUp(routes, which.equals("all") || which.contains("bulk"));
            if (which.equals("all") || which.contains("small")) {
                small(routes, 8, SMALL_SECONDS);
                small(routes, 1, Math.max(5, SMALL_SECONDS * 2 / 3));
            }
            if (which.equals("all") || which.contains("bulk")) {
                bulk(routes, setup);
            }
            printPreviewOpens(setup);
            System.out.println("load at end: " + load());
        } finally {
            stopAll();
        }
    }

    // ---- setup -----------------------------------------------------------------------------------

    record Setup(int appPort, int portalPort, String previewHost, String cookie, long portalPid, long agentPid,
                 int proxyPort, long proxyPid, int sshPort) {
    }

    private static Setup setUp() throws Exception {
        int portalPort = PortalHarness.freePort();
        int identityPort = PortalHarness.freePort();
        int gatewayPort = PortalHarness.freePort();
        Process portal = start("portal", List.of(JAVA, PORTAL_HEAP, "-jar", PORTAL_JAR.toString(),
                "--rde.portal.port=" + portalPort,
                "--rde.identity.port=" + identityPort,
                "--rde.gateway.port=" + gatewayPort,
                "--rde.identity.allowed-origins=http://localhost:" + portalPort,
                "--rde.identity.ui-redirect-uris=http://localhost:" + portalPort + "/",
                "--rde.gateway.tls.data-dir=" + work.resolve("tls"),
                "--rde.embedded.agent-jar=" + AGENT_JAR,
                "--rde.embedded.agent-data-dir=" + work.resolve("agent"),
                "--rde.secrets.keyset-file=" + work.resolve("secrets/keyset.json"),
                // A benchmark measures the relay, not the API's rate limits.
                "--rde.rate-limits.requests-per-minute=100000",
                "--rde.rate-limits.launches-per-minute=100000"));
        Api api = new Api("http://localhost:" + portalPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            if (!portal.isAlive()) {
                throw new IllegalStateException("portal exited during start; see " + work.resolve("portal.log"));
            }
            try {
                if (api.get("/actuator/health/readiness", null).status() == 200) {
                    break;
                }
            } catch (IllegalStateException notYet) {
                // refused while starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("portal not ready; see " + work.resolve("portal.log"));
            }
            Api.sleep(250);
        }
        String issuer = "http://localhost:" + identityPort;
        String admin = OidcLogin.accessToken(issuer, "rde-cli", "http://127.0.0.1:" + PortalHarness.freePort() + "/callback",
                "admin@example.com", "admin");
        String alice = OidcLogin.accessToken(issuer, "rde-cli", "http://127.0.0.1:" + PortalHarness.freePort() + "/callback",
                "alice@example.com", "alice");
        awaitTrue(() -> String.valueOf(api.get("/api/v1/clusters", admin).body()).contains("\"connected\":true"),
                "the local agent to connect", 90);
        long agentPid = portal.toHandle().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("rde-agent.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no agent process under the portal")).pid();

        Path portFile = work.resolve("app.port");
        String classes = Path.of(PreviewBenchApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String command = "exec " + JAVA + " -Xmx256m -Dsun.net.httpserver.nodelay=true -cp " + classes + " " + PreviewBenchApp.class.getName() + " " + portFile;
        Api.Response bp = api.post("/api/v1/blueprints", """
                {"name":"preview-bench","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "ports":[8000],"startCommand":%s}""".formatted(jsonString(command)), admin);
        if (bp.status() != 201) {
            throw new IllegalStateException("blueprint answered " + bp.status() + " " + bp.body());
        }
        String blueprint = bp.body().get("id").asText();
        awaitTrue(() -> api.get("/api/v1/blueprints/" + blueprint, alice).status() == 200, "the blueprint", 30);
        Api.Response launched = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"previewbench\"}", alice);
        if (launched.status() != 202) {
            throw new IllegalStateException("launch answered " + launched.status() + " " + launched.body());
        }
        String workspace = launched.body().get("id").asText();
        api.awaitWorkspace(workspace, alice, "RUNNING"::equals, Duration.ofSeconds(90));
        awaitTrue(() -> Files.exists(portFile), "the app's port file", 60);
        int appPort = Integer.parseInt(Files.readString(portFile).strip());

        Api.Response ticket = api.post("/api/v1/workspaces/" + workspace + "/preview-tickets", "{\"port\":8000}", alice);
        if (ticket.status() != 200) {
            throw new IllegalStateException("ticket answered " + ticket.status() + " " + ticket.body());
        }
        URI url = URI.create(ticket.body().get("url").asText());
        String previewHost = url.getHost() + ":" + url.getPort();
        String redeemed = run(List.of("curl", "-s", "-o", "/dev/null", "-D", "-", "-H", "Host: " + previewHost,
                "http://127.0.0.1:" + portalPort + url.getRawPath() + "?" + url.getRawQuery()));
        Matcher cookie = Pattern.compile("(?im)^set-cookie:\\s*rde_preview=([^;\\s]+)").matcher(redeemed);
        if (!cookie.find()) {
            throw new IllegalStateException("redeeming the ticket gave no cookie:\n" + redeemed);
        }

        int proxyPort = PortalHarness.freePort();
        Process proxy = start("proxy", List.of(JAVA, PORTAL_HEAP, "-cp", System.getProperty("java.class.path"),
                PreviewBench.class.getName(), "proxy", Integer.toString(proxyPort), Integer.toString(appPort)));
        awaitTrue(() -> accepts(proxyPort), "the single-hop proxy", 60);

        int sshPort = sshTunnel(appPort);
        Setup setup = new Setup(appPort, portalPort, previewHost, cookie.group(1), portal.pid(), agentPid, proxyPort,
                proxy.pid(), sshPort);
        System.out.printf("app :%d, portal :%d (pid %d, %s), agent pid %d, proxy :%d (pid %d), ssh -R :%d; workspace %s%n",
                appPort, portalPort, portal.pid(), PORTAL_HEAP, agentPid, proxyPort, proxy.pid(), sshPort, workspace);
        System.out.println("agent: " + ProcessHandle.of(agentPid).flatMap(p -> p.info().commandLine()).orElse("?"));
        return setup;
    }

    /** sshd on a spare loopback port with throw-away keys, and {@code ssh -N -R} into it; answers the tunnel's port. */
    private static int sshTunnel(int appPort) throws Exception {
        Path dir = Files.createDirectories(work.resolve("ssh"));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString()));
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        int sshdPort = PortalHarness.freePort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + sshdPort, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "UsePAM no", "StrictModes no", "AllowTcpForwarding yes", "LogLevel ERROR", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        sshd = start("sshd", List.of("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString()));
        awaitTrue(() -> accepts(sshdPort), "sshd", 30);
        int tunnelPort = PortalHarness.freePort();
        ssh = start("ssh", List.of("ssh", "-N", "-T", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "LogLevel=ERROR",
                "-i", dir.resolve("user_key").toString(), "-p", Integer.toString(sshdPort),
                "-R", tunnelPort + ":127.0.0.1:" + appPort, System.getProperty("user.name") + "@127.0.0.1"));
        awaitTrue(() -> accepts(tunnelPort), "the ssh -R tunnel", 30);
        System.out.println("ssh: " + run(List.of("ssh", "-V")).strip() + "; cipher "
                + run(List.of("sh", "-c", "ssh -G -p " + sshdPort + " 127.0.0.1 2>/dev/null | grep '^ciphers'")).strip()
                + " (the first, chacha20-poly1305, is what sshd also offers first)");
        return tunnelPort;
    }

    /** sshd with its per-connection children, and the ssh client: the whole tunnel. */
    private static List<Long> sshPids() {
        List<Long> pids = new ArrayList<>(List.of(sshd.pid(), ssh.pid()));
        sshd.toHandle().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** User + system CPU time of these processes so far, in ms (from /proc/<pid>/stat, 100 ticks/s). */
    private static long cpuMs(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return ticks * 10;
    }

    /** CPU ms by thread name (digits folded, as the kernel keeps the first 15 characters) of one process. */
    private static Map<String, Long> threadCpuMs(long pid) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        forEachThread(pid, task -> {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            byName.merge(task.getFileName() + "|" + name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
        });
        return byName;
    }

    /**
     * Times the threads of {@code pids} went to sleep and were woken (voluntary context switches).
     * Per request it counts the hand-offs a request costs; unlike latency and CPU per request it
     * hardly moves with the machine's other load, so it tells two builds apart in a short run.
     */
    private static long wakeUps(List<Long> pids) {
        long[] switches = {0};
        for (long pid : pids) {
            forEachThread(pid, task -> {
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        switches[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                    }
                }
            });
        }
        return switches[0];
    }

    private interface ThreadReader {
        void read(Path task) throws IOException;
    }

    /** {@code reader} on each thread's {@code /proc} directory of {@code pid}; threads and processes gone meanwhile are skipped. */
    private static void forEachThread(long pid, ThreadReader reader) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    reader.read(task);
                } catch (IOException | RuntimeException e) {
                    // thread gone
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    /** Where one process's CPU went between two {@link #threadCpuMs} snapshots: the top thread names. */
    private static String cpuBreakdown(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byName = new java.util.HashMap<>();
        after.forEach((key, ms) -> byName.merge(key.substring(key.indexOf('|') + 1), ms - before.getOrDefault(key, 0L), Long::sum));
        long total = byName.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.1f s:", total / 1000.0));
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
                .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.1f s,", e.getKey(), e.getValue() / 1000.0)));
        return out.substring(0, out.length() - 1);
    }

    // ---- measurements ----------------------------------------------------------------------------

    private static void check(Route r) throws Exception {
        String answer = run(curl(r, "/small", "-s", "-o", "-", "-w", " %{http_code}"));
        if (!answer.endsWith(" 200") || !answer.startsWith("hello, bench")) {
            throw new IllegalStateException(r.name + " does not answer /small: " + answer);
        }
    }

    private static void warmUp(List<Route> routes, boolean bulk) throws Exception {
        long bytes = bulk ? BULK_WARMUP : 200_000_000L;
        System.out.printf("%n== warm-up: wrk -c8 %d s and %d MB per path%n", WARMUP_SECONDS, bytes / 1_000_000);
        for (Route r : routes) {
            Wrk w = wrk(r, 8, WARMUP_SECONDS);
            StringBuilder speeds = new StringBuilder();
            for (long left = bytes; left > 0; left -= 500_000_000L) {
                Bulk b = download(r, Math.min(left, 500_000_000L));
                speeds.append(String.format(Locale.ROOT, " %.0f", b.mbps));
            }
            System.out.printf(Locale.ROOT, "warm-up %-7s %9.0f req/s, downloads at%s MB/s%n", r.name, w.rps, speeds);
            if (r.name.equals("chain")) {
                untilCompiled(r);
            }
        }
    }

    /**
     * More wrk -c8 windows on the chain while its JVMs are still compiling: a time-boxed warm-up is
     * a few thousand requests when the machine is slow, and session 11's c8 rounds then measured
     * 5-6 s of C2 compilation in the portal. Stops once a 10 s window costs the portal and the agent
     * less than {@link #SETTLED_JIT_MS} of compiler time together, or after {@link #MAX_EXTRA_WARMUP_WINDOWS}.
     */
    private static void untilCompiled(Route chain) throws Exception {
        List<Long> pids = chain.pids.get();
        for (int window = 1; window <= MAX_EXTRA_WARMUP_WINDOWS; window++) {
            long before = compilingMs(pids);
            Wrk w = wrk(chain, 8, 10);
            long spent = compilingMs(pids) - before;
            System.out.printf(Locale.ROOT, "warm-up chain, JIT window %d: %.0f req/s, %.1f s compiling%n", window, w.rps, spent / 1000.0);
            if (before < 0 || spent < SETTLED_JIT_MS) {
                return;
            }
        }
    }

    /** Compiler time of these JVMs together so far (ms), or -1 if jstat cannot say for one of them. */
    private static long compilingMs(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            long ms = compilations(pid)[1];
            if (ms < 0) {
                return -1;
            }
            total += ms;
        }
        return total;
    }

    /** Methods the JIT compiled so far in a JVM, and the time it spent (ms); {-1, -1} if jstat cannot say. */
    static long[] compilations(long pid) {
        try {
            String[] lines = run(List.of(JSTAT, "-compiler", Long.toString(pid))).strip().split("\n");
            String[] f = lines[lines.length - 1].trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), Math.round(Double.parseDouble(f[3]) * 1000)};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {-1, -1};
        }
    }

    /** How the portal opened the chain's preview channels (1.5: on a spare stream, or asked on the control stream). */
    private static void printPreviewOpens(Setup setup) {
        try {
            String metrics = run(List.of("curl", "-s", "-w", "\nHTTP %{http_code}",
                    "http://localhost:" + setup.portalPort + "/actuator/prometheus"));
            String opens = metrics.lines().filter(l -> l.startsWith("rde_tunnel_preview_opens"))
                    .collect(java.util.stream.Collectors.joining("; "));
            String status = metrics.lines().filter(l -> l.startsWith("HTTP ")).reduce((a, b) -> b).orElse("no answer");
            System.out.println("preview channels opened: " + (opens.isEmpty()
                    ? "(not found in /actuator/prometheus, " + status + ")" : opens));
        } catch (Exception e) {
            System.out.println("preview channels opened: unknown (" + e + ")");
        }
    }

    private static void small(List<Route> routes, int connections, int seconds) throws Exception {
        System.out.printf("%n== small responses: wrk -t1 -c%d -d%ds --latency GET /small (13-byte body), %d rounds, load %s%n",
                connections, seconds, ROUNDS, load());
        Map<String, List<Wrk>> results = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < routes.size(); i++) {
                Route r = routes.get((i + round) % routes.size());
                List<Map<String, Long>> threadsBefore = r.pids.get().stream().map(PreviewBench::threadCpuMs).toList();
                long wakeUpsBefore = wakeUps(r.pids.get());
                Wrk w = wrk(r, connections, seconds);
                long woken = wakeUps(r.pids.get()) - wakeUpsBefore;
                results.computeIfAbsent(r.name, k -> new ArrayList<>()).add(w);
                System.out.printf(Locale.ROOT, "round %d %-7s %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d  "
                                + "relay CPU %.2f ms/request, %.2f wake-ups/request  (load %s)%n",
                        round + 1, r.name, w.rps, w.p50, w.p99, w.errors, w.requests == 0 ? 0 : (double) w.cpuMs / w.requests,
                        w.requests == 0 ? 0 : (double) woken / w.requests, load());
                printThreads(r, threadsBefore);
            }
        }
        System.out.printf("-- c%d medians over rounds%n", connections);
        double directP99 = median(results.get("direct"), Wrk::p99);
        double directRps = median(results.get("direct"), Wrk::rps);
        for (var e : results.entrySet()) {
            double rps = median(e.getValue(), Wrk::rps);
            double p50 = median(e.getValue(), Wrk::p50);
            double p99 = median(e.getValue(), Wrk::p99);
            System.out.printf(Locale.ROOT, "%-7s %9.0f req/s (%.2f× direct)  p50 %7.3f ms  p99 %7.3f ms (%+.3f ms over direct)%n",
                    e.getKey(), rps, rps / directRps, p50, p99, p99 - directP99);
        }
    }

    private static void bulk(List<Route> routes, Setup setup) throws Exception {
        System.out.printf("%n== bulk: curl GET /download?bytes=%d to /dev/null, %d rounds, load %s%n", BULK, ROUNDS, load());
        Map<String, List<Bulk>> results = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < routes.size(); i++) {
                Route r = routes.get((i + round) % routes.size());
                Sampler portal = null;
                Sampler agent = null;
                Sampler proxy = null;
                if (r.name.equals("chain")) {
                    portal = new Sampler(setup.portalPid);
                    agent = new Sampler(setup.agentPid);
                } else if (r.name.equals("proxy")) {
                    proxy = new Sampler(setup.proxyPid);
                }
                List<Map<String, Long>> threadsBefore = r.pids.get().stream().map(PreviewBench::threadCpuMs).toList();
                List<long[]> jitBefore = r.name.equals("chain") ? r.pids.get().stream().map(PreviewBench::compilations).toList() : List.of();
                Bulk b = download(r, BULK);
                results.computeIfAbsent(r.name, k -> new ArrayList<>()).add(b);
                System.out.printf(Locale.ROOT, "round %d %-7s %8.1f MB/s  (%.1f s, relay CPU %.1f s = %.2f s per GB, load %s)%n",
                        round + 1, r.name, b.mbps, b.seconds, b.cpuMs / 1000.0, b.cpuMs / 1000.0 / (b.bytes / 1e9), load());
                printThreads(r, threadsBefore);
                if (!jitBefore.isEmpty()) {
                    long[] p = compilations(setup.portalPid);
                    long[] a = compilations(setup.agentPid);
                    System.out.printf(Locale.ROOT, "        JIT meanwhile: portal %+d methods (%.1f s compiling), agent %+d (%.1f s)%n",
                            p[0] - jitBefore.get(0)[0], (p[1] - jitBefore.get(0)[1]) / 1000.0,
                            a[0] - jitBefore.get(1)[0], (a[1] - jitBefore.get(1)[1]) / 1000.0);
                }
                if (portal != null) {
                    System.out.println("        portal RSS " + portal.stop());
                    System.out.println("        agent  RSS " + agent.stop());
                }
                if (proxy != null) {
                    System.out.println("        proxy  RSS " + proxy.stop());
                }
            }
        }
        double proxy = median(results.get("proxy"), Bulk::mbps);
        double ssh = median(results.get("ssh -R"), Bulk::mbps);
        double direct = median(results.get("direct"), Bulk::mbps);
        System.out.println("-- medians over rounds");
        for (var e : results.entrySet()) {
            double m = median(e.getValue(), Bulk::mbps);
            System.out.printf(Locale.ROOT, "%-7s %8.1f MB/s  (%.2f× direct, %.2f× proxy, %.2f× ssh -R)%n",
                    e.getKey(), m, m / direct, m / proxy, m / ssh);
        }
    }

    /** For the chain: where portal and agent spent their CPU, by thread. */
    private static void printThreads(Route r, List<Map<String, Long>> before) {
        if (!r.name.equals("chain")) {
            return;
        }
        List<Long> pids = r.pids.get();
        for (int i = 0; i < pids.size(); i++) {
            System.out.println("        " + (i == 0 ? "portal" : "agent ") + " CPU " + cpuBreakdown(before.get(i), threadCpuMs(pids.get(i))));
        }
    }

    private static Wrk wrk(Route r, int connections, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
                "--timeout", "10s"));
        r.headers.forEach((k, v) -> cmd.addAll(List.of("-H", k + ": " + v)));
        cmd.add("http://127.0.0.1:" + r.port + "/small");
        List<Long> pids = r.pids.get();
        long cpuBefore = cpuMs(pids);
        String out = run(cmd);
        long cpu = cpuMs(pids) - cpuBefore;
        Matcher total = Pattern.compile("(\\d+) requests in").matcher(out);
        long requests = total.find() ? Long.parseLong(total.group(1)) : 0;
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("wrk said:\n" + out);
        }
        long errors = 0;
        Matcher m = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (m.find()) {
            errors += Long.parseLong(m.group(1));
        }
        m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (m.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(m.group(g));
            }
        }
        return new Wrk(Double.parseDouble(rps.group(1)), percentile(out, "50%"), percentile(out, "99%"), errors, requests, cpu, out);
    }

    private static double percentile(String wrkOut, String which) {
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)\\s*$").matcher(wrkOut);
        if (!m.find()) {
            throw new IllegalStateException("no " + which + " in wrk's output:\n" + wrkOut);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static Bulk download(Route r, long bytes) throws Exception {
        List<Long> pids = r.pids.get();
        long cpuBefore = cpuMs(pids);
        String out = run(curl(r, "/download?bytes=" + bytes, "-s", "-o", "/dev/null", "-w",
                "%{http_code} %{size_download} %{time_total}"));
        String[] f = out.strip().split(" ");
        long got = Long.parseLong(f[1]);
        if (!f[0].equals("200") || got != bytes) {
            throw new IllegalStateException(r.name + " download: status " + f[0] + ", " + got + " of " + bytes + " bytes");
        }
        double seconds = Double.parseDouble(f[2]);
        return new Bulk(got / seconds / 1e6, got, seconds, cpuMs(pids) - cpuBefore);
    }

    private static List<String> curl(Route r, String target, String... options) {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "600"));
        cmd.addAll(Arrays.asList(options));
        r.headers.forEach((k, v) -> cmd.addAll(List.of("-H", k + ": " + v)));
        cmd.add("http://127.0.0.1:" + r.port + target);
        return cmd;
    }

    /** VmRSS of one process every 200 ms. */
    private static final class Sampler {
        private final long pid;
        private final List<Long> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(long pid) {
            this.pid = pid;
            sample();
            thread = new Thread(() -> {
                while (running) {
                    Api.sleep(200);
                    sample();
                }
            }, "rss-" + pid);
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        samples.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException e) {
                // gone
            }
        }

        Rss stop() throws InterruptedException {
            running = false;
            thread.join();
            sample();
            synchronized (this) {
                return new Rss(samples.get(0), samples.stream().mapToLong(Long::longValue).max().orElse(0),
                        samples.get(samples.size() - 1), samples.size());
            }
        }
    }

    // ---- the single-hop proxy ---------------------------------------------------------------------

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade");

    /** A minimal streaming reverse proxy: Reactor Netty server in, Reactor Netty client out, nothing else. */
    static void proxy(int listen, int target) {
        HttpClient client = HttpClient.create(ConnectionProvider.builder("bench-proxy").maxConnections(256).build());
        String base = "http://127.0.0.1:" + target;
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(listen)
                .handle((req, res) -> {
                    HttpClient.RequestSender sender = client
                            .headers(h -> copy(req.requestHeaders(), h))
                            .request(req.method()).uri(base + req.uri());
                    boolean bodiless = (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
                            && !req.requestHeaders().contains(HttpHeaderNames.CONTENT_LENGTH)
                            && !req.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING);
                    HttpClient.ResponseReceiver<?> receiver = bodiless ? sender : sender.send(req.receive().retain());
                    return receiver.response((upstream, body) -> {
                        res.status(upstream.status());
                        copy(upstream.responseHeaders(), res.responseHeaders());
                        return res.send(body.retain());
                    }).then();
                })
                .bindNow();
        System.out.println("proxy on :" + listen + " → :" + target);
        server.onDispose().block();
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        from.forEach(e -> {
            if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                to.add(e.getKey(), e.getValue());
            }
        });
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Process start(String name, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("RDE_"));
        Process p = builder.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private static void stopAll() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Process p = all.get(i);
            // The portal stops its agent, which stops the workspace's app.
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (work != null) {
            // Whatever the agent left running (the app), by the data dir it runs under.
            dev.rdeportal.portal.support.WorkspaceProcesses.killAll(work.resolve("agent"));
        }
    }

    /** Runs a short command to completion; answers its output (stderr included). */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // try again
            }
            Api.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + what + "; logs in " + work);
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static <T> double median(List<T> values, java.util.function.ToDoubleFunction<T> f) {
        double[] v = values.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long setting(String env, long fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.strip());
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
