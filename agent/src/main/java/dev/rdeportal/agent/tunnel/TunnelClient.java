package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.WorkspaceState;
import dev.rdeportal.proto.JoinToken;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.JoinRequest;
import dev.rdeportal.proto.v1.JoinResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the tunnel and the supervisor of its sub-tasks: the connect loop (the
 * thread that calls {@link #run()}), heartbeats ({@code rde-tunnel-heartbeat}) and operation
 * workers ({@code rde-operation-N}). Each connection attempt: fresh channel, Join if the agent has
 * no credential yet, then the control stream until it breaks; then backoff and redial. Only a
 * refusal that retrying cannot fix (token or credential refused, protocol unsupported, certificate
 * mismatch) ends the loop, with an {@link ExitStatus} saying why.
 */
public final class TunnelClient {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.tunnel");
    static final int WORKERS = 4;

    private final TunnelConfig config;
    private final ChannelFactory channels;
    private final CredentialStore credentials;
    private final WorkspaceRuntime runtime;
    private final OperationJournal journal;
    private final ChannelHandler channelHandler;
    private final ReconnectBackoff backoff;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final OperationDispatcher dispatcher;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ManagedChannel channel;
    private volatile ControlSession session;
    private String proposedAgentId;
    private String proposedSecret;

    TunnelClient(TunnelConfig config, ChannelFactory channels, CredentialStore credentials, WorkspaceRuntime runtime,
                 OperationJournal journal, ChannelHandler channelHandler, ReconnectBackoff backoff, Sleeper sleeper,
                 Clock clock, ExecutorService workers, ScheduledExecutorService scheduler) {
        this.config = config;
        this.channels = channels;
        this.credentials = credentials;
        this.runtime = runtime;
        this.journal = journal;
        this.channelHandler = channelHandler;
        this.backoff = backoff;
        this.sleeper = sleeper != null ? sleeper : delay -> stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        this.clock = clock;
        this.workers = workers;
        this.scheduler = scheduler;
        this.dispatcher = new OperationDispatcher(runtime, journal, workers,
                workspaceId -> channelHandler.workspaceEnded(workspaceId, "workspace stopped"));
    }

    /**
     * The production wiring: journal under {@code journalDir} (pruned on open), standard backoff,
     * system clock, its own worker and heartbeat threads.
     */
    public static TunnelClient create(TunnelConfig config, ChannelFactory channels, CredentialStore credentials,
                                      WorkspaceRuntime runtime, Path journalDir, ChannelHandler channelHandler) throws IOException {
        Clock clock = Clock.systemUTC();
        OperationJournal journal = OperationJournal.open(journalDir, clock, OperationJournal.RETENTION);
        return new TunnelClient(config, channels, credentials, runtime, journal, channelHandler,
                ReconnectBackoff.standard(), null, clock, workerPool(), heartbeatScheduler());
    }

    static ExecutorService workerPool() {
        // Bounded queue: the dispatcher refuses beyond MAX_PENDING before this ever fills.
        return new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(OperationDispatcher.MAX_PENDING), named("rde-operation-", true));
    }

    static ScheduledExecutorService heartbeatScheduler() {
        return Executors.newSingleThreadScheduledExecutor(named("rde-tunnel-heartbeat", false));
    }

    private static ThreadFactory named(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Connects and keeps connecting until shut down or refused for good. Blocks the caller. */
    public ExitStatus run() {
        runtime.onChange(this::report);
        try {
            while (stopRequested.getCount() > 0) {
                ExitStatus fatal = connectOnce();
                if (fatal != null) {
                    log.error("{}", fatal.reason());
                    return fatal;
                }
                if (stopRequested.getCount() == 0) {
                    break;
                }
                Duration delay = backoff.next();
                log.info("reconnecting to gateway {} in {} ms", config.gateway(), delay.toMillis());
                sleeper.sleep(delay);
            }
            return ExitStatus.ok();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.ok();
        } finally {
            scheduler.shutdownNow();
            workers.shutdown();
            finished.countDown();
        }
    }

    /** One connection attempt; null when it ended in a way worth retrying. */
    private ExitStatus connectOnce() {
        ManagedChannel opened = channels.open();
        channel = opened;
        String step = "join";
        Credential credential = null;
        try {
            credential = credentials.load().orElse(null);
            if (credential == null) {
                if (config.joinToken() == null) {
                    return new ExitStatus(ExitStatus.USAGE, "no agent credential in " + credentials.credentialFile()
                            + " and no join token given: pass --join-token");
                }
                credential = join(opened);
            }
            step = "control stream";
            ControlSession current = new ControlSession(config, hello(credential), dispatcher, channelHandler,
                    authenticated(opened, credential), scheduler, clock);
            session = current;
            if (stopRequested.getCount() == 0) {
                return null;
            }
            ControlSession.Ended ended = current.start().get();
            if (ended.welcomed()) {
                backoff.reset();
            }
            return classify(ended.status(), step, credential);
        } catch (StatusRuntimeException e) {
            return classify(e.getStatus(), step, credential);
        } catch (IOException e) {
            return new ExitStatus(ExitStatus.ERROR, step + " with gateway " + config.gateway() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            log.warn("control stream with gateway {} failed: {}", config.gateway(), e.getCause().toString());
            return null;
        } finally {
            session = null;
            opened.shutdownNow();
            try {
                opened.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Credential join(ManagedChannel opened) throws IOException {
        log.info("joining gateway {} as {} (token for cluster {})", config.gateway(), config.hostname(),
                config.joinToken().clusterId());
        if (proposedAgentId == null) {
            // Chosen once and re-sent on every retry: if the gateway accepted a join whose answer
            // never arrived, the retry is recognised instead of finding the token spent.
            proposedAgentId = newAgentId();
            proposedSecret = JoinToken.randomSecret();
        }
        JoinResponse response = AgentTunnelGrpc.newBlockingStub(opened)
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .join(JoinRequest.newBuilder()
                        .setJoinToken(config.joinToken().encode())
                        .setHostname(config.hostname())
                        .setVersion(ProtocolVersions.current())
                        .setAgentId(proposedAgentId)
                        .setAgentSecret(proposedSecret)
                        .build());
        String clusterId = response.getClusterId().isEmpty() ? config.joinToken().clusterId() : response.getClusterId();
        Credential credential = new Credential(response.getAgentId(), clusterId, response.getAgentSecret(), config.gateway());
        credentials.save(credential);
        var ca = channels.caToPersist();
        if (ca.isPresent()) {
            credentials.saveCa(ca.get());
        }
        log.info("joined cluster {} as agent {}; credential stored in {}", clusterId, credential.agentId(),
                credentials.credentialFile());
        return credential;
    }

    private static String newAgentId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder id = new StringBuilder("agent-");
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private Hello hello(Credential credential) {
        Hello.Builder hello = Hello.newBuilder()
                .setVersion(ProtocolVersions.current())
                .setAgentId(credential.agentId())
                .setClusterId(credential.clusterId())
                .setRuntime(runtime.name())
                .setAgentVersion(config.agentVersion());
        for (WorkspaceState state : runtime.inventory()) {
            hello.addInventory(ProtoMapping.state(state, journal.lastOperation(state.workspaceId())));
        }
        try {
            runtime.published().forEach(app -> hello.addPublished(ProtoMapping.published(app)));
        } catch (RuntimeException e) {
            // Only listed apps are ever removed by the gateway: an empty list costs nothing but the clean-up.
            log.warn("cannot list the published apps for the control plane; connecting without them: {}", e.toString());
        }
        return hello.build();
    }

    private static Channel authenticated(ManagedChannel opened, Credential credential) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(ProtocolVersions.AGENT_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER), credential.agentId());
        headers.put(Metadata.Key.of(ProtocolVersions.AGENT_SECRET_HEADER, Metadata.ASCII_STRING_MARSHALLER), credential.secret());
        return ClientInterceptors.intercept(opened, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private ExitStatus classify(Status status, String step, Credential credential) {
        if (stopRequested.getCount() == 0 || status.isOk()) {
            return null;
        }
        String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        if (certificateProblem(status.getCause())) {
            return new ExitStatus(ExitStatus.CERTIFICATE, "the certificate of gateway " + config.gateway()
                    + " does not match the trusted CA: " + rootMessage(status.getCause()));
        }
        switch (status.getCode()) {
            case UNAUTHENTICATED:
                if (step.equals("join")) {
                    return new ExitStatus(ExitStatus.REFUSED, "gateway " + config.gateway() + " refused the join token: " + detail);
                }
                return new ExitStatus(ExitStatus.REFUSED, "gateway " + config.gateway() + " refused the credential of agent "
                        + credential.agentId() + ": " + detail + " (remove " + credentials.credentialFile()
                        + " and join again with a new join token)");
            case FAILED_PRECONDITION:
                return new ExitStatus(ExitStatus.UNSUPPORTED_PROTOCOL, "gateway " + config.gateway()
                        + " does not support protocol " + ProtocolVersions.format(ProtocolVersions.current()) + ": " + detail);
            default:
                log.warn("{} with gateway {} ended: {} {}{}", step, config.gateway(), status.getCode(), detail,
                        status.getCause() == null ? "" : " (" + rootMessage(status.getCause()) + ")");
                return null;
        }
    }

    private static boolean certificateProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        String message = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? "TLS handshake failed" : message;
    }

    private void report(WorkspaceState state) {
        ControlSession current = session;
        if (current != null) {
            current.report(ProtoMapping.state(state, journal.lastOperation(state.workspaceId())));
        }
    }

    /** Graceful: closes the control stream, stops redialing; workspaces keep running. */
    public void shutdown() {
        stopRequested.countDown();
        ControlSession current = session;
        if (current != null) {
            current.close();
        }
    }

    /** Hard: additionally drops the connection and interrupts running operations. */
    public void shutdownNow() {
        shutdown();
        ManagedChannel current = channel;
        if (current != null) {
            current.shutdownNow();
        }
        workers.shutdownNow();
    }

    /** Whether {@link #run()} has returned within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
