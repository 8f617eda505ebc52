package dev.rdeportal.agent;

import dev.rdeportal.agent.preview.PreviewProxy;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.kubernetes.KubernetesRuntime;
import dev.rdeportal.agent.runtime.kubernetes.KubernetesRuntimeConfig;
import dev.rdeportal.agent.runtime.kubernetes.SecretCredentialMirror;
import dev.rdeportal.agent.runtime.local.LocalRuntime;
import dev.rdeportal.agent.runtime.local.LocalRuntimeConfig;
import dev.rdeportal.agent.tunnel.ChannelFactory;
import dev.rdeportal.agent.terminal.TerminalConfig;
import dev.rdeportal.agent.terminal.TerminalSessions;
import dev.rdeportal.agent.tunnel.ChannelRouter;
import dev.rdeportal.agent.tunnel.Credential;
import dev.rdeportal.agent.tunnel.CredentialStore;
import dev.rdeportal.agent.tunnel.ExitStatus;
import dev.rdeportal.agent.tunnel.TlsChannelFactory;
import dev.rdeportal.agent.tunnel.TunnelClient;
import dev.rdeportal.agent.tunnel.TunnelConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar rde-agent.jar --gateway HOST:PORT --join-token TOKEN}: dials out to the
 * gateway and serves workspaces until SIGTERM (exit 0). A refusal that retrying cannot fix exits
 * non-zero with one line on stderr; see {@link ExitStatus} for the codes.
 */
@Command(name = "rde-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "RDE agent: connects this cluster to the RDE portal over an outbound TLS tunnel.")
public final class AgentMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger("rde.agent");
    private static final Duration GRACEFUL_SHUTDOWN = Duration.ofSeconds(5);

    @Option(names = "--gateway", paramLabel = "HOST:PORT", defaultValue = "${env:RDE_AGENT_GATEWAY}",
            description = "Tunnel gateway of the portal (env RDE_AGENT_GATEWAY). Optional once joined.")
    String gateway;

    @Option(names = "--join-token", paramLabel = "TOKEN", defaultValue = "${env:RDE_AGENT_JOIN_TOKEN}",
            description = "One-time join token (env RDE_AGENT_JOIN_TOKEN). Needed on first start only.")
    String joinToken;

    @Option(names = "--runtime", paramLabel = "kubernetes|local", defaultValue = "${env:RDE_AGENT_RUNTIME:-local}",
            description = "Where workspaces run (env RDE_AGENT_RUNTIME). Default: local.")
    String runtime;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:RDE_AGENT_DATA_DIR:-./agent-data}",
            description = "Credential, journal and local workspaces (env RDE_AGENT_DATA_DIR). Default: ./agent-data.")
    Path dataDir;

    @Option(names = "--ca-cert", paramLabel = "FILE", defaultValue = "${env:RDE_AGENT_CA_CERT}",
            description = "PEM file of the gateway's CA (env RDE_AGENT_CA_CERT), instead of the join token's fingerprint.")
    Path caCert;

    @Option(names = "--terminal-detach-timeout", paramLabel = "DURATION",
            defaultValue = "${env:RDE_AGENT_TERMINAL_DETACH_TIMEOUT:-5m}",
            description = "How long a terminal outlives its dropped client, e.g. 300s, 5m, PT5M "
                    + "(env RDE_AGENT_TERMINAL_DETACH_TIMEOUT). Default: 5m.")
    String terminalDetachTimeout;

    @Option(names = "--terminal-buffer", paramLabel = "BYTES",
            defaultValue = "${env:RDE_AGENT_TERMINAL_BUFFER:-65536}",
            description = "Output kept per terminal and replayed on re-attach (env RDE_AGENT_TERMINAL_BUFFER). "
                    + "Default: 65536.")
    int terminalBuffer;

    @Option(names = "--kube-port-access", paramLabel = "pod-ip|port-forward",
            defaultValue = "${env:RDE_AGENT_KUBE_PORT_ACCESS:-pod-ip}",
            description = "With --runtime kubernetes: how previews reach a workspace's port, by the pod's IP (the agent "
                    + "runs in the cluster) or a port-forward (env RDE_AGENT_KUBE_PORT_ACCESS). Default: pod-ip.")
    String kubePortAccess;

    @Option(names = "--kube-agent-namespace", paramLabel = "NAMESPACE",
            defaultValue = "${env:RDE_AGENT_NAMESPACE}",
            description = "With --runtime kubernetes: the agent's namespace, whose agent pods alone may reach workspace "
                    + "ports (env RDE_AGENT_NAMESPACE). Default: the service account's namespace, else rde-system.")
    String kubeAgentNamespace;

    @Option(names = "--kube-storage-class", paramLabel = "CLASS", defaultValue = "${env:RDE_AGENT_KUBE_STORAGE_CLASS}",
            description = "With --runtime kubernetes: storage class of workspace volumes (env "
                    + "RDE_AGENT_KUBE_STORAGE_CLASS). Default: the cluster's default class.")
    String kubeStorageClass;

    @Option(names = "--kube-publish-namespace", paramLabel = "NAMESPACE",
            defaultValue = "${env:RDE_AGENT_KUBE_PUBLISH_NAMESPACE}",
            description = "With --runtime kubernetes: the namespace of published apps (env "
                    + "RDE_AGENT_KUBE_PUBLISH_NAMESPACE). Default: rde-published (infra/published creates it).")
    String kubePublishNamespace;

    @Option(names = "--credential-store", paramLabel = "file|secret:NAMESPACE/NAME",
            defaultValue = "${env:RDE_AGENT_CREDENTIAL_STORE:-file}",
            description = "Where the agent's credential survives restarts: files in --data-dir, or also a Kubernetes "
                    + "Secret, restored into --data-dir on start (env RDE_AGENT_CREDENTIAL_STORE). Default: file.")
    String credentialStore;

    private final PrintStream err;

    public AgentMain() {
        this(System.err);
    }

    AgentMain(PrintStream err) {
        this.err = err;
    }

    /** Netty's (gRPC's shaded copy) leak detector level, as a system property. */
    static final String LEAK_DETECTION_LEVEL = "io.grpc.netty.shaded.io.netty.leakDetection.level";

    public static void main(String[] args) {
        PreviewProxy.allowHostHeader();
        quietLeakDetector();
        int code = new CommandLine(new AgentMain()).execute(args);
        System.exit(code);
    }

    /**
     * Turns off the leak detector of gRPC's Netty unless a level was set explicitly ({@value
     * #LEAK_DETECTION_LEVEL} or its old name). At its default level it records a stack trace for one
     * buffer in 128, which was 1-4% of the agent's CPU while relaying a bulk preview download (every
     * 64 KiB frame takes several buffers on the TLS write path). Tests keep the default level; set the
     * property to {@code simple} or {@code paranoid} to look for a leak in a running agent.
     */
    static void quietLeakDetector() {
        if (System.getProperty(LEAK_DETECTION_LEVEL) == null
                && System.getProperty("io.grpc.netty.shaded.io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    @Override
    public Integer call() {
        ExitStatus status = run();
        if (status.code() != ExitStatus.OK) {
            err.println("rde-agent: " + status.reason());
        }
        return status.code();
    }

    ExitStatus run() {
        Optional<SecretCredentialMirror.Location> credentialSecret;
        try {
            credentialSecret = credentialStore == null || credentialStore.isBlank() || credentialStore.strip().equals("file")
                    ? Optional.empty() : Optional.of(SecretCredentialMirror.Location.parse(credentialStore));
        } catch (IllegalArgumentException e) {
            return new ExitStatus(ExitStatus.USAGE, e.getMessage());
        }
        boolean kubernetesRuntime = "kubernetes".equalsIgnoreCase(runtime == null ? "" : runtime.strip());
        if (credentialSecret.isEmpty() && !kubernetesRuntime) {
            return serve(null);
        }
        // One client for the runtime and the credential secret: the pod's service account in a
        // cluster, else KUBECONFIG / ~/.kube/config.
        try (KubernetesClient kube = new KubernetesClientBuilder().build()) {
            if (credentialSecret.isEmpty()) {
                return serve(kube);
            }
            Path dir = (dataDir == null ? Path.of("agent-data") : dataDir).toAbsolutePath().normalize();
            createPrivateDirectory(dir);
            // Restored before anything reads the data directory, closed (one last copy) after the tunnel.
            try (SecretCredentialMirror mirror = SecretCredentialMirror.start(kube, credentialSecret.get(), dir,
                    Duration.ofSeconds(2))) {
                return serve(kube);
            }
        } catch (IOException | RuntimeException e) {
            log.error("agent failed", e);
            return new ExitStatus(ExitStatus.ERROR, "agent failed: " + e.getMessage());
        }
    }

    /** @param kube null unless the runtime or the credential store is Kubernetes */
    private ExitStatus serve(KubernetesClient kube) {
        AgentConfig config;
        TerminalConfig terminals;
        try {
            config = AgentConfig.of(gatewayOrStored(), joinToken, runtime, dataDir, caCert);
            terminals = new TerminalConfig(duration("--terminal-detach-timeout", terminalDetachTimeout),
                    terminalBuffer == 0 ? 64 * 1024 : terminalBuffer, TerminalConfig.defaults().maxSessions());
        } catch (IllegalArgumentException e) {
            return new ExitStatus(ExitStatus.USAGE, e.getMessage());
        } catch (IOException e) {
            return new ExitStatus(ExitStatus.ERROR, e.getMessage());
        }
        KubernetesRuntimeConfig kubernetes = null;
        if (config.runtime() == AgentConfig.Runtime.KUBERNETES) {
            try {
                kubernetes = new KubernetesRuntimeConfig(KubernetesRuntimeConfig.PortAccess.parse(kubePortAccess),
                        agentNamespace(), null, kubeStorageClass, 0, 0, 0, null, kubePublishNamespace);
            } catch (IllegalArgumentException e) {
                return new ExitStatus(ExitStatus.USAGE, e.getMessage());
            }
        }
        try {
            createPrivateDirectory(config.dataDir());
            CredentialStore credentials = new CredentialStore(config.dataDir());
            Optional<ChannelFactory> channels = channels(config, credentials);
            if (channels.isEmpty()) {
                return new ExitStatus(ExitStatus.USAGE, "no CA to verify gateway " + config.gateway()
                        + " with: pass --ca-cert FILE, or --join-token (it carries the CA fingerprint)");
            }
            try (WorkspaceRuntime workspaces = runtime(config, kubernetes, kube);
                 TerminalSessions sessions = TerminalSessions.create(terminals, workspaces);
                 PreviewProxy previews = PreviewProxy.create(workspaces)) {
                TunnelClient client = TunnelClient.create(
                        TunnelConfig.of(config.gateway(), config.joinToken(), hostname(), version()),
                        channels.get(), credentials, workspaces, config.dataDir().resolve("operations"),
                        new ChannelRouter(sessions, previews));
                Signals.onTermination(() -> shutDown(client));
                log.info("agent starting: {}", config);
                return client.run();
            }
        } catch (IOException | RuntimeException e) {
            log.error("agent failed", e);
            return new ExitStatus(ExitStatus.ERROR, "agent failed: " + e.getMessage());
        }
    }

    /** The local runtime, or Kubernetes through {@code kube}. */
    private static WorkspaceRuntime runtime(AgentConfig config, KubernetesRuntimeConfig kubernetes, KubernetesClient kube) {
        if (config.runtime() == AgentConfig.Runtime.KUBERNETES) {
            return KubernetesRuntime.open(kube, kubernetes);
        }
        return LocalRuntime.open(LocalRuntimeConfig.defaults(config.dataDir().resolve("workspaces")));
    }

    /** The flag, else the namespace of the pod's service account, else {@code rde-system}. */
    private String agentNamespace() {
        if (kubeAgentNamespace != null && !kubeAgentNamespace.isBlank()) {
            return kubeAgentNamespace;
        }
        Path serviceAccount = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
        try {
            return Files.isReadable(serviceAccount) ? Files.readString(serviceAccount).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code 300s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT5M}). */
    static Duration duration(String flag, String text) {
        String value = text == null ? "" : text.strip();
        try {
            if (value.toUpperCase(java.util.Locale.ROOT).startsWith("PT")) {
                return Duration.parse(value);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(flag + " must be a duration such as 300s, 5m or PT5M, got '" + value + "'");
        }
    }

    /** The gateway flag, else the one recorded when the agent joined. */
    private String gatewayOrStored() throws IOException {
        if (gateway != null && !gateway.isBlank()) {
            return gateway;
        }
        Path dir = dataDir == null ? Path.of("agent-data") : dataDir;
        return new CredentialStore(dir).load().map(Credential::gateway).filter(g -> !g.isBlank()).orElse(null);
    }

    /** Trust, in order: --ca-cert, the CA stored when the agent joined, the join token's fingerprint. */
    private static Optional<ChannelFactory> channels(AgentConfig config, CredentialStore credentials) throws IOException {
        if (config.caCert() != null) {
            return Optional.of(TlsChannelFactory.trustingCaFile(config.gatewayHost(), config.gatewayPort(), config.caCert()));
        }
        if (Files.isRegularFile(credentials.caFile())) {
            return Optional.of(TlsChannelFactory.trustingCaFile(config.gatewayHost(), config.gatewayPort(), credentials.caFile()));
        }
        if (config.joinToken() != null) {
            return Optional.of(TlsChannelFactory.pinningFingerprint(config.gatewayHost(), config.gatewayPort(),
                    config.joinToken().caFingerprint()));
        }
        return Optional.empty();
    }

    private static void shutDown(TunnelClient client) {
        log.info("shutting down: closing the tunnel; workspaces keep running");
        client.shutdown();
        Thread hard = new Thread(() -> {
            try {
                if (!client.awaitTermination(GRACEFUL_SHUTDOWN)) {
                    log.warn("tunnel did not close within {}; dropping the connection", GRACEFUL_SHUTDOWN);
                    client.shutdownNow();
                }
            } catch (InterruptedException e) {
                client.shutdownNow();
            }
        }, "rde-agent-shutdown");
        hard.setDaemon(true);
        hard.start();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }

    static String version() {
        return Optional.ofNullable(AgentMain.class.getPackage().getImplementationVersion()).orElse("dev");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rde-agent " + AgentMain.version()};
        }
    }
}
