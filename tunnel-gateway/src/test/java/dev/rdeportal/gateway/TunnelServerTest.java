package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.common.util.concurrent.MoreExecutors;
import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.AgentJoinRefusedEvent;
import dev.rdeportal.domain.cluster.FindAgentCredentialQuery;
import dev.rdeportal.domain.cluster.JoinAgentCommand;
import dev.rdeportal.domain.cluster.RecordAgentConnectedCommand;
import dev.rdeportal.domain.cluster.RecordAgentDisconnectedCommand;
import dev.rdeportal.domain.publish.FindPendingPublishOperationsQuery;
import dev.rdeportal.domain.workspace.CompleteWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FindClusterWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.gateway.channel.AgentChannel;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.proto.JoinToken;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelOpen;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Heartbeat;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.HttpRequestHead;
import dev.rdeportal.proto.v1.JoinRequest;
import dev.rdeportal.proto.v1.JoinResponse;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.ProtocolVersion;
import dev.rdeportal.proto.v1.WorkspacePhase;
import dev.rdeportal.proto.v1.WorkspaceReport;
import dev.rdeportal.proto.v1.WorkspaceState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * A real TLS gateway on an ephemeral port and a grpc-java client, with Axon's gateways mocked:
 * they are the seams to the rest of the control plane.
 */
class TunnelServerTest {

    private static final long WAIT_MS = 5_000;

    @TempDir
    static Path tlsDir;
    static TlsMaterial tls;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final CommandGateway commands = mock(CommandGateway.class);
    private final QueryGateway queries = mock(QueryGateway.class);
    private final EventGateway events = mock(EventGateway.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** What the (simulated) read side knows: filled by accepted joins, as the projection would. */
    private final Map<String, AgentCredentialView> credentialStore = new ConcurrentHashMap<>();
    private final Map<String, WorkspaceView> workspaces = new ConcurrentHashMap<>();
    private final Map<Class<?>, Function<Object, CompletableFuture<Object>>> commandAnswers = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private AgentRegistry registry;
    private ChannelBroker broker;
    private TunnelService service;
    private TunnelServer server;
    private OperationDispatcher dispatcher;
    private ManagedChannel channel;
    private JoinToken token;

    record Sent(Object command, MetaData metaData) {
    }

    @BeforeAll
    static void generateTls() {
        tls = TlsMaterial.load(new GatewayProperties.Tls(null, null, tlsDir, null), Clock.systemUTC());
    }

    private AgentCredentials credentials;

    @BeforeEach
    void startGateway() throws Exception {
        token = JoinToken.generate("c1", tls.caFingerprint());
        when(commands.send(any(), any(MetaData.class))).thenAnswer(invocation -> {
            Object command = invocation.getArgument(0);
            sent.add(new Sent(command, invocation.getArgument(1)));
            return commandAnswers.getOrDefault(command.getClass(), c -> CompletableFuture.completedFuture(null))
                    .apply(command);
        });
        commandAnswers.put(JoinAgentCommand.class, c -> {
            JoinAgentCommand join = (JoinAgentCommand) c;
            if (!join.clusterId().equals("c1")) {
                return CompletableFuture.failedFuture(new CommandExecutionException("no such cluster",
                        new AggregateNotFoundException(join.clusterId(), "aggregate not found")));
            }
            boolean accepted = join.joinTokenHash().equals(token.secretHash());
            if (accepted) {
                credentialStore.put(join.agentId(),
                        new AgentCredentialView(join.agentId(), join.clusterId(), join.credentialHash()));
            }
            return CompletableFuture.completedFuture(accepted);
        });
        when(queries.query(any(), any(ResponseType.class))).thenAnswer(invocation -> {
            Object query = invocation.getArgument(0);
            if (query instanceof FindAgentCredentialQuery q) {
                return CompletableFuture.completedFuture(Optional.ofNullable(credentialStore.get(q.agentId())));
            }
            if (query instanceof FindClusterWorkspacesQuery q) {
                return CompletableFuture.completedFuture(workspaces.values().stream()
                        .filter(w -> w.clusterId().equals(q.clusterId())).toList());
            }
            if (query instanceof FindPendingPublishOperationsQuery) {
                return CompletableFuture.completedFuture(List.of()); // agents of 1.4 and later ask on connect
            }
            if (query instanceof FindWorkspaceQuery q) {
                return CompletableFuture.completedFuture(Optional.ofNullable(workspaces.get(q.workspaceId())));
            }
            return CompletableFuture.failedFuture(new IllegalArgumentException("unexpected query " + query));
        });

        registry = new AgentRegistry(meters);
        broker = new ChannelBroker(meters, id -> registry.forCluster(id), Duration.ofSeconds(2),
                Duration.ofSeconds(2), () -> UUID.randomUUID().toString());
        credentials = new AgentCredentials(queries, clock, Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        ControlSession.Dependencies sessions = new ControlSession.Dependencies(registry, broker, commands, queries,
                new Reconciler(() -> UUID.randomUUID().toString()), Executors.newSingleThreadScheduledExecutor(),
                clock, Duration.ofSeconds(1), Duration.ofSeconds(5), 1000, name -> "http://" + name + "--pub.preview.localhost:8080");
        service = new TunnelService(new AgentJoiner(commands, events, credentials, Duration.ofSeconds(5)), sessions);
        GatewayProperties properties = new GatewayProperties(0, "127.0.0.1", null, Duration.ofSeconds(1), null, null,
                null, null, null, null, null, null, null, null);
        server = new TunnelServer(properties, tls, service, new AgentAuthenticator(credentials), registry);
        server.start();
        dispatcher = new OperationDispatcher(registry);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(tls.caCertificate()).build())
                .build();
    }

    @AfterEach
    void stopGateway() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop();
        service.close();
    }

    // ---- join -------------------------------------------------------------------------------

    @Test
    void joinWithAValidTokenAnswersACredentialAndSendsOnlyHashes() {
        JoinResponse joined = join(token.encode());

        assertThat(joined.getAgentId()).matches("agent-[a-z0-9]{12}");
        assertThat(joined.getClusterId()).isEqualTo("c1");
        assertThat(joined.getAgentSecret()).matches("[A-Za-z0-9_-]{43}");
        Sent join = awaitCommand(JoinAgentCommand.class);
        JoinAgentCommand command = (JoinAgentCommand) join.command();
        assertThat(command).isEqualTo(new JoinAgentCommand("c1", token.secretHash(), joined.getAgentId(),
                JoinToken.sha256Hex(joined.getAgentSecret()), "node-1"));
        assertThat(command.toString()).doesNotContain(token.secret()).doesNotContain(joined.getAgentSecret());
        assertThat(join.metaData()).containsEntry(MetaDataKeys.ACTOR, "agent:" + joined.getAgentId())
                .containsEntry(MetaDataKeys.CLIENT_IP, "127.0.0.1");
    }

    @Test
    void refusedTokenIsUnauthenticatedAndTheAggregateRecordsTheRefusal() {
        JoinToken stale = JoinToken.generate("c1", tls.caFingerprint());

        assertRefused(() -> join(stale.encode()));

        assertThat(((JoinAgentCommand) awaitCommand(JoinAgentCommand.class).command()).joinTokenHash())
                .isEqualTo(stale.secretHash());
        verify(events, never()).publish(anyList());
    }

    @Test
    void malformedTokenIsUnauthenticatedAndRecordedAsARefusal() {
        assertRefused(() -> join("rde1.c1.not-a-token"));

        assertThat(refusalEvent()).isEqualTo(new AgentJoinRefusedEvent(null, "node-1", "malformed join token"));
        assertThat(sent).isEmpty();
    }

    @Test
    void unknownClusterIsUnauthenticatedAndRecordedAsARefusal() {
        assertRefused(() -> join(JoinToken.generate("c9", tls.caFingerprint()).encode()));

        assertThat(refusalEvent()).isEqualTo(new AgentJoinRefusedEvent("c9", "node-1", "unknown cluster"));
    }

    @Test
    void agentOfAnUnsupportedMajorKeepsItsTokenUnspent() {
        JoinRequest request = JoinRequest.newBuilder().setJoinToken(token.encode()).setHostname("node-1")
                .setVersion(ProtocolVersion.newBuilder().setMajor(2)).build();

        assertThatThrownBy(() -> AgentTunnelGrpc.newBlockingStub(channel).join(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(sent).isEmpty();
    }

    // ---- credential -------------------------------------------------------------------------

    @Test
    void controlWithoutCredentialIsUnauthenticated() {
        AgentStream stream = AgentStream.open(AgentTunnelGrpc.newStub(channel));
        stream.send(hello("agent-x", "c1", 1));

        Status status = stream.awaitClose();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("agent credential refused");
    }

    @Test
    void forgedSecretIsUnauthenticated() {
        JoinResponse joined = join(token.encode());

        AgentStream stream = AgentStream.open(stub(joined.getAgentId(), JoinToken.randomSecret()));
        stream.send(hello(joined.getAgentId(), "c1", 1));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void credentialIsCheckedAgainstTheReadSideOnceTheCacheExpired() {
        JoinResponse joined = join(token.encode());
        clock.advance(Duration.ofMinutes(5));
        credentialStore.clear();

        AgentStream stream = AgentStream.open(stub(joined));
        stream.send(hello(joined.getAgentId(), "c1", 1));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    // ---- control stream ---------------------------------------------------------------------

    @Test
    void unsupportedMajorIsRefusedNamingBothVersions() {
        JoinResponse joined = join(token.encode());

        AgentStream stream = AgentStream.open(stub(joined));
        stream.send(hello(joined.getAgentId(), "c1", 2));

        Status status = stream.awaitClose();
        assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getDescription()).isEqualTo("agent speaks protocol 2.0, gateway supports major 1");
        assertThat(registry.isConnected("c1")).isFalse();
    }

    @Test
    void firstMessageOtherThanHelloIsInvalid() {
        JoinResponse joined = join(token.encode());

        AgentStream stream = AgentStream.open(stub(joined));
        stream.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void helloForAnotherAgentIsDenied() {
        JoinResponse joined = join(token.encode());

        AgentStream stream = AgentStream.open(stub(joined));
        stream.send(hello("agent-someoneelse", "c1", 1));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void helloIsWelcomedAndTheConnectionRecorded() {
        JoinResponse joined = join(token.encode());

        AgentStream stream = connect(joined, List.of());

        Sent connected = awaitCommand(RecordAgentConnectedCommand.class);
        assertThat(connected.command()).isEqualTo(new RecordAgentConnectedCommand("c1", joined.getAgentId(), "1.0",
                "local", "0.1.0"));
        assertThat(connected.metaData()).containsEntry(MetaDataKeys.ACTOR, "agent:" + joined.getAgentId());
        assertThat(registry.isConnected("c1")).isTrue();
        assertThat(registry.connectedAgents()).singleElement().satisfies(agent -> {
            assertThat(agent.agentId()).isEqualTo(joined.getAgentId());
            assertThat(agent.protocolVersion()).isEqualTo("1.0");
            assertThat(agent.remoteAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(meters.get("rde.agents.connected").gauge().value()).isEqualTo(1.0);

        stream.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtEpochMillis(1)).build());
        assertThat(stream.next().hasHeartbeat()).isTrue();
    }

    @Test
    void pendingOperationIsResentWithItsIdAndOrphansAreDeletedOnConnect() {
        workspaces.put("w-1", workspace("w-1", "c1", WorkspaceStatus.PROVISIONING, "op-launch",
                OperationKind.PROVISION));
        JoinResponse joined = join(token.encode());

        AgentStream stream = connect(joined, List.of(WorkspaceState.newBuilder().setWorkspaceId("w-stray")
                .setPhase(WorkspacePhase.WORKSPACE_PHASE_RUNNING).build()));

        List<Operation> operations = List.of(stream.next().getOperation(), stream.next().getOperation());
        assertThat(operations).anySatisfy(op -> {
            assertThat(op.getOperationId()).isEqualTo("op-launch");
            assertThat(op.getKind()).isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_PROVISION);
            assertThat(op.getSpec().getImage()).isEqualTo("ubuntu:24.04");
        });
        assertThat(operations).anySatisfy(op -> {
            assertThat(op.getSpec().getWorkspaceId()).isEqualTo("w-stray");
            assertThat(op.getKind()).isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_DELETE);
        });
    }

    @Test
    void runningWorkspaceMissingFromTheInventoryIsReportedToItsAggregate() {
        workspaces.put("w-1", workspace("w-1", "c1", WorkspaceStatus.RUNNING, null, null));
        JoinResponse joined = join(token.encode());

        connect(joined, List.of());

        ReconcileWorkspaceCommand reconcile = (ReconcileWorkspaceCommand) awaitCommand(ReconcileWorkspaceCommand.class)
                .command();
        assertThat(reconcile.workspaceId()).isEqualTo("w-1");
        assertThat(reconcile.observed()).isEqualTo(ObservedPhase.MISSING);
        assertThat(UUID.fromString(reconcile.operationId())).isNotNull();
    }

    @Test
    void dispatchedOperationReachesTheConnectedAgentAndItsResultCompletesIt() {
        JoinResponse joined = join(token.encode());
        AgentStream stream = connect(joined, List.of());
        awaitCommand(RecordAgentConnectedCommand.class);

        dispatcher.handle(new DispatchWorkspaceOperationCommand("c1", "w-1", "op-1", OperationKind.PROVISION,
                "dev@example.com", "demo", "bp-1", spec()));

        Operation operation = stream.next().getOperation();
        assertThat(operation.getOperationId()).isEqualTo("op-1");
        assertThat(operation.getKind()).isEqualTo(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_PROVISION);
        assertThat(ProtoConverters.spec(operation.getSpec())).isEqualTo(spec());
        assertThat(operation.getSpec().getOwner()).isEqualTo("dev@example.com");
        assertThat(meters.get("rde.tunnel.operations.sent").tag("kind", "provision").counter().count())
                .isEqualTo(1.0);

        stream.send(AgentMessage.newBuilder().setOperationResult(OperationResult.newBuilder()
                .setOperationId("op-1").setSuccess(true)
                .setState(WorkspaceState.newBuilder().setWorkspaceId("w-1")
                        .setPhase(WorkspacePhase.WORKSPACE_PHASE_RUNNING).putPorts(3000, 41000)))
                .build());

        Sent complete = awaitCommand(CompleteWorkspaceOperationCommand.class);
        assertThat(complete.command()).isEqualTo(new CompleteWorkspaceOperationCommand("w-1", "op-1",
                Map.of(3000, 41000)));
        assertThat(complete.metaData()).containsEntry(MetaDataKeys.ACTOR, "agent:" + joined.getAgentId())
                .containsEntry(MetaDataKeys.CLIENT_IP, "127.0.0.1");
    }

    @Test
    void failedResultFailsTheOperationAndResultsForUnsentOperationsAreIgnored() {
        JoinResponse joined = join(token.encode());
        AgentStream stream = connect(joined, List.of());
        dispatcher.handle(new DispatchWorkspaceOperationCommand("c1", "w-1", "op-1", OperationKind.STOP,
                "dev@example.com", "demo", "bp-1", spec()));
        stream.next();

        stream.send(result("op-elsewhere", false, "w-9"));
        stream.send(result("op-1", false, "w-1"));

        assertThat(awaitCommand(FailWorkspaceOperationCommand.class).command())
                .isEqualTo(new FailWorkspaceOperationCommand("w-1", "op-1", "disk full"));
        assertThat(sent).extracting(Sent::command).noneMatch(c -> c instanceof FailWorkspaceOperationCommand f
                && f.operationId().equals("op-elsewhere"));
    }

    @Test
    void reportIsReconciledOnlyForWorkspacesOfTheAgentsCluster() {
        workspaces.put("w-mine", workspace("w-mine", "c1", WorkspaceStatus.RUNNING, null, null));
        workspaces.put("w-theirs", workspace("w-theirs", "c2", WorkspaceStatus.RUNNING, null, null));
        JoinResponse joined = join(token.encode());
        AgentStream stream = connect(joined, List.of(WorkspaceState.newBuilder().setWorkspaceId("w-mine")
                .setPhase(WorkspacePhase.WORKSPACE_PHASE_RUNNING).build()));
        awaitCommand(RecordAgentConnectedCommand.class);

        stream.send(report("w-theirs"));
        stream.send(report("w-mine"));

        ReconcileWorkspaceCommand reconcile = (ReconcileWorkspaceCommand) awaitCommand(ReconcileWorkspaceCommand.class)
                .command();
        assertThat(reconcile.workspaceId()).isEqualTo("w-mine");
        assertThat(reconcile.observed()).isEqualTo(ObservedPhase.FAILED);
        assertThat(reconcile.reason()).isEqualTo("process exited");
        assertThat(sent).extracting(Sent::command).noneMatch(c -> c instanceof ReconcileWorkspaceCommand r
                && r.workspaceId().equals("w-theirs"));
    }

    @Test
    void dispatchWithoutAConnectedAgentReturnsNormally() {
        dispatcher.handle(new DispatchWorkspaceOperationCommand("c1", "w-1", "op-1", OperationKind.START,
                "dev@example.com", "demo", "bp-1", spec()));

        assertThat(meters.get("rde.tunnel.operations.sent").tag("kind", "start").counter().count()).isZero();
    }

    @Test
    void closingTheStreamRecordsTheDisconnect() {
        JoinResponse joined = join(token.encode());
        AgentStream stream = connect(joined, List.of());
        awaitCommand(RecordAgentConnectedCommand.class);

        stream.toGateway.onCompleted();

        assertThat(stream.awaitClose().isOk()).isTrue();
        Sent disconnected = awaitCommand(RecordAgentDisconnectedCommand.class);
        assertThat(disconnected.command()).isEqualTo(new RecordAgentDisconnectedCommand("c1", joined.getAgentId(),
                "agent closed the control stream"));
        assertThat(disconnected.metaData()).containsEntry(MetaDataKeys.ACTOR, "agent:" + joined.getAgentId());
        assertThat(registry.isConnected("c1")).isFalse();
    }

    @Test
    void silentAgentIsClosedAfterThreeMissedHeartbeats() {
        JoinResponse joined = join(token.encode());
        AgentStream stream = connect(joined, List.of());

        clock.advance(Duration.ofSeconds(4));

        Status status = stream.awaitClose();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("heartbeat timeout");
        assertThat(((RecordAgentDisconnectedCommand) awaitCommand(RecordAgentDisconnectedCommand.class).command())
                .reason()).startsWith("heartbeat timeout");
        assertThat(registry.isConnected("c1")).isFalse();
    }

    @Test
    void newConnectionOfTheSameAgentReplacesTheOldOne() {
        JoinResponse joined = join(token.encode());
        AgentStream first = connect(joined, List.of());
        awaitCommand(RecordAgentConnectedCommand.class);
        sent.clear();

        AgentStream second = connect(joined, List.of());

        Status status = first.awaitClose();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("replaced");
        awaitCommand(RecordAgentConnectedCommand.class);
        // The stale disconnect is recorded before the new connection.
        assertThat(sent).extracting(s -> (Object) s.command().getClass())
                .containsSubsequence(RecordAgentDisconnectedCommand.class, RecordAgentConnectedCommand.class);
        assertThat(registry.connectedAgents()).hasSize(1);
        second.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        assertThat(second.next().hasHeartbeat()).isTrue();
    }

    @Test
    void aChannelNoRequestIsWaitingForIsRefused() {
        JoinResponse joined = join(token.encode());
        BlockingQueue<Status> closed = new LinkedBlockingQueue<>();
        StreamObserver<ChannelFrame> frames = stub(joined).channel(closingInto(closed));
        frames.onNext(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId("ch-1")).build());

        Status status = poll(closed);
        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("no channel ch-1 is waiting");
        assertThat(meters.get("rde.tunnel.channels.open").gauge().value()).isZero();
    }

    @Test
    void a15AgentsSpareStreamCarriesOnePreviewRequestOverTheRealTransport() throws Exception {
        JoinResponse joined = join(token.encode());
        AgentStream control = AgentStream.open(stub(joined));
        control.send(AgentMessage.newBuilder().setHello(hello(joined.getAgentId(), "c1", 1).getHello().toBuilder()
                .setVersion(ProtocolVersions.current())).build());
        assertThat(control.next().getWelcome().getVersion().getMinor()).isEqualTo(ProtocolVersions.MINOR);

        BlockingQueue<ChannelFrame> toAgent = new LinkedBlockingQueue<>();
        BlockingQueue<Status> closed = new LinkedBlockingQueue<>();
        StreamObserver<ChannelFrame> spare = stub(joined).channel(closingInto(closed, toAgent));
        spare.onNext(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId("spare-1").setSpare(true)).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (broker.spares(joined.getAgentId()) == 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(broker.spares(joined.getAgentId())).isEqualTo(1);

        CompletableFuture<AgentChannel> opened = broker.openPreview("c1", "w-1",
                "alice@example.com", 3000, HttpRequestHead.newBuilder().setMethod("GET")
                        .setTarget("/").build());
        ChannelFrame request = poll(toAgent);
        assertThat(request.hasRequest()).isTrue();
        assertThat(request.getRequest().getWorkspaceId()).isEqualTo("w-1");
        assertThat(control.received).as("nothing asked on the control stream").noneMatch(GatewayMessage::hasOpenChannel);
        spare.onNext(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder()
                .setChannelId(request.getRequest().getChannelId())).build());
        assertThat(opened.get(5, TimeUnit.SECONDS).channelId()).isEqualTo(request.getRequest().getChannelId());
        assertThat(broker.spares(joined.getAgentId())).isZero();
        assertThat(meters.get("rde.tunnel.channels.open").gauge().value()).isEqualTo(1);
        spare.onCompleted();
        assertThat(poll(closed)).isEqualTo(Status.OK);
    }

    @Test
    void onlyChannelStreamsOfAnAgentKnownGoodSkipTheCallExecutor() {
        JoinResponse joined = join(token.encode());
        AgentAuthenticator authenticator = new AgentAuthenticator(credentials);

        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getChannelMethod()),
                headers(joined.getAgentId(), joined.getAgentSecret())))
                .isSameAs(MoreExecutors.directExecutor());
        // Not known good: the lookup (or refusal) runs on a pool thread, never on the event loop (the
        // server's own executor is direct, so null would mean the event loop).
        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getChannelMethod()),
                headers(joined.getAgentId(), JoinToken.randomSecret()))).isSameAs(AgentAuthenticator.BLOCKING);
        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getChannelMethod()),
                headers("agent-unknown", joined.getAgentSecret()))).isSameAs(AgentAuthenticator.BLOCKING);
        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getChannelMethod()), new Metadata())).isSameAs(AgentAuthenticator.BLOCKING);
        // Control streams run commands and queries: always the call executor.
        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getControlMethod()),
                headers(joined.getAgentId(), joined.getAgentSecret()))).isSameAs(AgentAuthenticator.BLOCKING);
        clock.advance(Duration.ofMinutes(5));
        assertThat(authenticator.getExecutor(call(AgentTunnelGrpc.getChannelMethod()),
                headers(joined.getAgentId(), joined.getAgentSecret()))).isSameAs(AgentAuthenticator.BLOCKING);
    }

    @Test
    void aChannelStreamWithAForgedSecretIsUnauthenticated() {
        JoinResponse joined = join(token.encode());
        BlockingQueue<Status> closed = new LinkedBlockingQueue<>();
        StreamObserver<ChannelFrame> frames = stub(joined.getAgentId(), JoinToken.randomSecret()).channel(closingInto(closed));
        frames.onNext(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId("ch-1")).build());

        assertThat(poll(closed).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @SuppressWarnings("unchecked")
    private static <Q, A> ServerCall<Q, A> call(MethodDescriptor<Q, A> method) {
        ServerCall<Q, A> call = mock(ServerCall.class);
        when(call.getMethodDescriptor()).thenReturn(method);
        return call;
    }

    private static Metadata headers(String agentId, String secret) {
        Metadata headers = new Metadata();
        headers.put(AgentAuthenticator.AGENT_ID, agentId);
        headers.put(AgentAuthenticator.AGENT_SECRET, secret);
        return headers;
    }

    @Test
    void clientThatDoesNotTrustTheCaCannotConnect(@TempDir Path otherCa) throws Exception {
        TlsMaterial stranger = TlsMaterial.load(new GatewayProperties.Tls(null, null, otherCa, null),
                Clock.systemUTC());
        ManagedChannel untrusting = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(stranger.caCertificate()).build())
                .build();
        try {
            assertThatThrownBy(() -> AgentTunnelGrpc.newBlockingStub(untrusting)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .join(JoinRequest.newBuilder().setJoinToken(token.encode()).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(sent).isEmpty();
        } finally {
            untrusting.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private JoinResponse join(String joinToken) {
        return AgentTunnelGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .join(JoinRequest.newBuilder().setJoinToken(joinToken).setHostname("node-1")
                        .setVersion(ProtocolVersions.current()).build());
    }

    private static void assertRefused(Runnable join) {
        assertThatThrownBy(join::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo("join token refused");
        });
    }

    @SuppressWarnings("unchecked")
    private Object refusalEvent() {
        ArgumentCaptor<List<?>> published = ArgumentCaptor.forClass(List.class);
        verify(events, timeout(WAIT_MS)).publish(published.capture());
        EventMessage<?> event = (EventMessage<?>) published.getValue().get(0);
        assertThat(event.getMetaData()).containsEntry(MetaDataKeys.ACTOR, MetaDataKeys.SYSTEM)
                .containsEntry(MetaDataKeys.CLIENT_IP, "127.0.0.1");
        return event.getPayload();
    }

    private AgentTunnelGrpc.AgentTunnelStub stub(JoinResponse joined) {
        return stub(joined.getAgentId(), joined.getAgentSecret());
    }

    private AgentTunnelGrpc.AgentTunnelStub stub(String agentId, String secret) {
        Metadata headers = new Metadata();
        headers.put(AgentAuthenticator.AGENT_ID, agentId);
        headers.put(AgentAuthenticator.AGENT_SECRET, secret);
        return AgentTunnelGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private AgentStream connect(JoinResponse joined, List<WorkspaceState> inventory) {
        AgentStream stream = AgentStream.open(stub(joined));
        stream.send(AgentMessage.newBuilder().setHello(hello(joined.getAgentId(), "c1", 1).getHello().toBuilder()
                .addAllInventory(inventory)).build());
        GatewayMessage welcome = stream.next();
        assertThat(welcome.hasWelcome()).as("first gateway message is a Welcome: %s", welcome).isTrue();
        // These test agents speak 1.0: the gateway answers with the version both speak.
        assertThat(welcome.getWelcome().getVersion()).isEqualTo(ProtocolVersion.newBuilder().setMajor(1).setMinor(0).build());
        assertThat(welcome.getWelcome().getHeartbeatIntervalSeconds()).isEqualTo(1);
        return stream;
    }

    private static AgentMessage hello(String agentId, String clusterId, int major) {
        return AgentMessage.newBuilder().setHello(Hello.newBuilder()
                .setVersion(ProtocolVersion.newBuilder().setMajor(major).setMinor(0))
                .setAgentId(agentId).setClusterId(clusterId).setRuntime("local").setAgentVersion("0.1.0")).build();
    }

    private static AgentMessage result(String operationId, boolean success, String workspaceId) {
        return AgentMessage.newBuilder().setOperationResult(OperationResult.newBuilder()
                .setOperationId(operationId).setSuccess(success).setReason(success ? "" : "disk full")
                .setState(WorkspaceState.newBuilder().setWorkspaceId(workspaceId))).build();
    }

    private static AgentMessage report(String workspaceId) {
        return AgentMessage.newBuilder().setWorkspaceReport(WorkspaceReport.newBuilder().setState(
                WorkspaceState.newBuilder().setWorkspaceId(workspaceId).setPhase(WorkspacePhase.WORKSPACE_PHASE_FAILED)
                        .setReason("process exited"))).build();
    }

    private Sent awaitCommand(Class<?> type) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            for (Sent s : sent) {
                if (type.isInstance(s.command())) {
                    return s;
                }
            }
            sleep(10);
        }
        return fail("no %s sent; sent: %s", type.getSimpleName(), new ArrayList<>(sent));
    }

    private static WorkspaceSpec spec() {
        return new WorkspaceSpec("ubuntu:24.04", 500, 1024, 10, List.of(3000), Map.of("A", "b"), "sleep infinity");
    }

    private static WorkspaceView workspace(String id, String clusterId, WorkspaceStatus status, String pendingId,
                                           OperationKind pending) {
        return new WorkspaceView(id, "demo", "bp-1", clusterId, "dev@example.com", status, null, pendingId, pending,
                spec(), Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    private static <T> T poll(BlockingQueue<T> queue) {
        try {
            T item = queue.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            if (item == null) {
                fail("nothing arrived within %d ms", WAIT_MS);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The agent's end of a control stream. */
    static final class AgentStream implements StreamObserver<GatewayMessage> {

        final BlockingQueue<GatewayMessage> received = new LinkedBlockingQueue<>();
        final BlockingQueue<Status> closed = new LinkedBlockingQueue<>();
        StreamObserver<AgentMessage> toGateway;

        static AgentStream open(AgentTunnelGrpc.AgentTunnelStub stub) {
            AgentStream stream = new AgentStream();
            stream.toGateway = stub.control(stream);
            return stream;
        }

        void send(AgentMessage message) {
            toGateway.onNext(message);
        }

        GatewayMessage next() {
            return poll(received);
        }

        Status awaitClose() {
            return poll(closed);
        }

        @Override
        public void onNext(GatewayMessage value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closed.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            closed.add(Status.OK);
        }
    }

    /** A channel stream's receiving side that only notes how the gateway closed it. */
    private static StreamObserver<ChannelFrame> closingInto(BlockingQueue<Status> closed) {
        return closingInto(closed, new LinkedBlockingQueue<>());
    }

    /** Keeps what the gateway sends in {@code frames}, and how the stream ended in {@code closed}. */
    private static StreamObserver<ChannelFrame> closingInto(BlockingQueue<Status> closed, BlockingQueue<ChannelFrame> frames) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ChannelFrame value) {
                frames.add(value);
            }

            @Override
            public void onError(Throwable t) {
                closed.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.add(Status.OK);
            }
        };
    }
}
