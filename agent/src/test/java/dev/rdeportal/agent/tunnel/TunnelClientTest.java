package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceState;
import dev.rdeportal.proto.JoinToken;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.OperationKind;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.WorkspaceSpec;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TunnelClientTest {

    private static final JoinToken TOKEN = JoinToken.generate("c-1", "ab".repeat(32));

    @TempDir
    Path dataDir;

    private final FakeGateway gateway = new FakeGateway();
    private final FakeRuntime runtime = new FakeRuntime();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final String serverName = InProcessServerBuilder.generateName();
    private Server server;
    private TunnelClient client;
    private CompletableFuture<ExitStatus> running;
    private ChannelHandler channelHandler = ChannelHandler.refusingAll();

    @BeforeEach
    void startGateway() throws Exception {
        server = InProcessServerBuilder.forName(serverName)
                .addService(ServerInterceptors.intercept(gateway, gateway))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.shutdownNow();
            client.awaitTermination(Duration.ofSeconds(5));
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private CompletableFuture<ExitStatus> startAgent(JoinToken token) throws Exception {
        ChannelFactory inProcess = () -> InProcessChannelBuilder.forName(serverName).build();
        OperationJournal journal = OperationJournal.open(dataDir.resolve("operations"), Clock.systemUTC(), OperationJournal.RETENTION);
        client = new TunnelClient(TunnelConfig.of("gateway.test:443", token, "host-1", "test"), inProcess,
                new CredentialStore(dataDir), runtime, journal, channelHandler,
                ReconnectBackoff.standard(), sleeps::add, Clock.systemUTC(),
                TunnelClient.workerPool(), TunnelClient.heartbeatScheduler());
        running = CompletableFuture.supplyAsync(client::run);
        return running;
    }

    private void storeCredential() throws Exception {
        new CredentialStore(dataDir).save(new Credential(FakeGateway.AGENT_ID, "c-1", FakeGateway.AGENT_SECRET, "gateway.test:443"));
    }

    @Test
    void helloListsThePublishedAppsSoTheGatewayCanRemoveOrphans() throws Exception {
        storeCredential();
        runtime.apps.put("pr-1", new PublishState("pr-1", "shop-1", WorkspacePhase.RUNNING, "127.0.0.1:41000", ""));
        runtime.apps.put("pr-2", new PublishState("pr-2", "shop-2", WorkspacePhase.FAILED, "", "exit 1"));
        startAgent(null);

        Hello hello = gateway.nextHello();

        assertThat(hello.getVersion().getMinor()).isGreaterThanOrEqualTo(ProtocolVersions.PUBLISHED_INVENTORY_MINOR);
        assertThat(hello.getPublishedList()).extracting(a -> a.getPublishId() + "=" + a.getName() + "=" + a.getPhase())
                .containsExactlyInAnyOrder("pr-1=shop-1=WORKSPACE_PHASE_RUNNING", "pr-2=shop-2=WORKSPACE_PHASE_FAILED");
    }

    private static GatewayMessage provision(String operationId, String workspaceId) {
        return GatewayMessage.newBuilder().setOperation(Operation.newBuilder()
                .setOperationId(operationId)
                .setKind(OperationKind.OPERATION_KIND_PROVISION)
                .setSpec(WorkspaceSpec.newBuilder().setWorkspaceId(workspaceId).addPorts(8000).setStartCommand("serve")))
                .build();
    }

    @Test
    void joinsWithTheTokenStoresAPrivateCredentialAndAuthenticatesTheControlStream() throws Exception {
        startAgent(TOKEN);

        Hello hello = gateway.nextHello();

        assertThat(gateway.joins.poll()).satisfies(join -> {
            assertThat(join.getJoinToken()).isEqualTo(TOKEN.encode());
            assertThat(join.getHostname()).isEqualTo("host-1");
            assertThat(join.getVersion()).isEqualTo(ProtocolVersions.current());
        });
        Metadata headers = gateway.controlHeaders.poll();
        assertThat(headers.get(Metadata.Key.of(ProtocolVersions.AGENT_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(FakeGateway.AGENT_ID);
        assertThat(headers.get(Metadata.Key.of(ProtocolVersions.AGENT_SECRET_HEADER, Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(FakeGateway.AGENT_SECRET);
        assertThat(hello.getAgentId()).isEqualTo(FakeGateway.AGENT_ID);
        assertThat(hello.getClusterId()).isEqualTo("c-1");
        assertThat(hello.getRuntime()).isEqualTo("fake");
        Path credential = dataDir.resolve("credential.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
        assertThat(new CredentialStore(dataDir).load()).hasValueSatisfying(c -> {
            assertThat(c.agentId()).isEqualTo(FakeGateway.AGENT_ID);
            assertThat(c.secret()).isEqualTo(FakeGateway.AGENT_SECRET);
            assertThat(c.gateway()).isEqualTo("gateway.test:443");
        });
    }

    @Test
    void helloCarriesTheInventoryAndEachOperationGetsExactlyOneResult() throws Exception {
        storeCredential();
        runtime.with("w-1", WorkspacePhase.RUNNING).with("w-9", WorkspacePhase.STOPPED);
        startAgent(null);

        Hello hello = gateway.nextHello();
        assertThat(hello.getInventoryList()).extracting(s -> s.getWorkspaceId() + "=" + s.getPhase()).containsExactlyInAnyOrder(
                "w-1=WORKSPACE_PHASE_RUNNING", "w-9=WORKSPACE_PHASE_STOPPED");
        assertThat(hello.getPublishedList()).isEmpty();
        assertThat(gateway.joins).isEmpty();

        gateway.send(provision("op-1", "w-2"));
        gateway.send(provision("op-2", "w-3"));
        List<OperationResult> results = new ArrayList<>();
        results.add(gateway.next(AgentMessage.BodyCase.OPERATION_RESULT).getOperationResult());
        results.add(gateway.next(AgentMessage.BodyCase.OPERATION_RESULT).getOperationResult());

        assertThat(results).extracting(OperationResult::getOperationId).containsExactlyInAnyOrder("op-1", "op-2");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getSuccess()).isTrue();
            assertThat(r.getState().getPhase().name()).isEqualTo("WORKSPACE_PHASE_RUNNING");
            assertThat(r.getState().getLastOperationId()).isEqualTo(r.getOperationId());
        });
        assertThat(runtime.provisions).hasValue(2);
    }

    @Test
    void aResentOperationIsAnsweredFromTheJournalWithoutApplyingItAgain() throws Exception {
        storeCredential();
        startAgent(null);
        gateway.nextHello();

        gateway.send(provision("op-1", "w-2"));
        OperationResult first = gateway.next(AgentMessage.BodyCase.OPERATION_RESULT).getOperationResult();
        gateway.send(provision("op-1", "w-2"));
        OperationResult second = gateway.next(AgentMessage.BodyCase.OPERATION_RESULT).getOperationResult();

        assertThat(second).isEqualTo(first);
        assertThat(runtime.provisions).hasValue(1);
    }

    @Test
    void theChannelHandlerLearnsTheNegotiatedMinorOnEachWelcomeAndTheEndOfEachStream() throws Exception {
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        channelHandler = new ChannelHandler() {
            @Override
            public void open(dev.rdeportal.proto.v1.OpenChannel request, io.grpc.Channel gateway,
                             java.util.function.Consumer<dev.rdeportal.proto.v1.ChannelRefused> refuse) {
            }

            @Override
            public void connected(io.grpc.Channel gateway, int protocolMinor) {
                calls.add("connected 1." + protocolMinor);
            }

            @Override
            public void disconnected() {
                calls.add("disconnected");
            }
        };
        storeCredential();
        startAgent(null);
        gateway.nextHello();
        assertThat(calls.poll(10, TimeUnit.SECONDS)).isEqualTo("connected 1." + ProtocolVersions.MINOR);
        gateway.breakStream();
        assertThat(calls.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
        gateway.nextHello();
        assertThat(calls.poll(10, TimeUnit.SECONDS)).isEqualTo("connected 1." + ProtocolVersions.MINOR);
    }

    @Test
    void reconnectsAfterTheGatewayBreaksTheStreamAndSendsHelloWithTheInventoryAgain() throws Exception {
        storeCredential();
        startAgent(null);
        assertThat(gateway.nextHello().getInventoryList()).isEmpty();
        gateway.send(provision("op-1", "w-2"));
        gateway.next(AgentMessage.BodyCase.OPERATION_RESULT);

        gateway.breakStream();

        Hello again = gateway.nextHello();
        assertThat(again.getInventoryList()).singleElement().satisfies(s -> {
            assertThat(s.getWorkspaceId()).isEqualTo("w-2");
            assertThat(s.getLastOperationId()).isEqualTo("op-1");
        });
        // The broken connection had been welcomed, so the backoff starts over: a short first delay.
        assertThat(sleeps).singleElement().satisfies(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(750)));
        assertThat(running).isNotDone();
    }

    @Test
    void unsolicitedWorkspaceChangesAreReported() throws Exception {
        storeCredential();
        startAgent(null);
        gateway.nextHello();
        gateway.send(provision("op-1", "w-2")); // once its result is back, Welcome has certainly been handled
        gateway.next(AgentMessage.BodyCase.OPERATION_RESULT);

        runtime.emit(new WorkspaceState("w-2", WorkspacePhase.FAILED, Map.of(), "start command exited with status 1"));

        AgentMessage report = gateway.next(AgentMessage.BodyCase.WORKSPACE_REPORT);
        assertThat(report.getWorkspaceReport().getState().getPhase().name()).isEqualTo("WORKSPACE_PHASE_FAILED");
        assertThat(report.getWorkspaceReport().getState().getReason()).isEqualTo("start command exited with status 1");
    }

    @Test
    void channelRequestsAreRefusedWithAReason() throws Exception {
        storeCredential();
        startAgent(null);
        gateway.nextHello();

        gateway.send(GatewayMessage.newBuilder().setOpenChannel(OpenChannel.newBuilder()
                .setChannelId("ch-1").setWorkspaceId("w-1").setKind(ChannelKind.CHANNEL_KIND_TERMINAL)).build());

        AgentMessage refused = gateway.next(AgentMessage.BodyCase.CHANNEL_REFUSED);
        assertThat(refused.getChannelRefused().getChannelId()).isEqualTo("ch-1");
        assertThat(refused.getChannelRefused().getReason()).isEqualTo("channels are not supported by this agent yet");
    }

    @Test
    void heartbeatsFollowTheIntervalFromWelcome() throws Exception {
        gateway.heartbeatSeconds = 1;
        storeCredential();
        startAgent(null);
        gateway.nextHello();

        AgentMessage heartbeat = gateway.next(AgentMessage.BodyCase.HEARTBEAT);

        assertThat(heartbeat.getHeartbeat().getSentAtEpochMillis()).isPositive();
    }

    @Test
    void aRefusedJoinTokenEndsTheAgentWithOneLineAndNoCredential() throws Exception {
        gateway.joinFailure = Status.UNAUTHENTICATED.withDescription("join token unknown or already used");

        ExitStatus status = startAgent(TOKEN).get(10, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(ExitStatus.REFUSED);
        assertThat(status.reason()).contains("refused the join token").contains("already used")
                .doesNotContain("\n").doesNotContain(TOKEN.secret());
        assertThat(dataDir.resolve("credential.json")).doesNotExist();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRefusedStoredCredentialEndsTheAgent() throws Exception {
        storeCredential();
        gateway.controlFailure = Status.UNAUTHENTICATED.withDescription("agent revoked");

        ExitStatus status = startAgent(null).get(10, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(ExitStatus.REFUSED);
        assertThat(status.reason()).contains("credential of agent agent-7").contains("agent revoked")
                .doesNotContain(FakeGateway.AGENT_SECRET);
    }

    @Test
    void anUnsupportedProtocolVersionEndsTheAgent() throws Exception {
        storeCredential();
        gateway.controlFailure = Status.FAILED_PRECONDITION.withDescription("unsupported protocol major 1 (gateway speaks 2.0)");

        ExitStatus status = startAgent(null).get(10, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(ExitStatus.UNSUPPORTED_PROTOCOL);
        assertThat(status.reason()).contains("gateway speaks 2.0");
    }

    @Test
    void networkErrorsAreRetriedWithGrowingDelays() throws Exception {
        storeCredential();
        gateway.controlFailure = Status.UNAVAILABLE.withDescription("connection reset");
        startAgent(null);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sleeps.size() >= 4);

        assertThat(running).isNotDone();
        // Never welcomed, so never reset: attempt 4 is at least 4 s * (1 - 0.5).
        assertThat(sleeps.get(3)).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void gracefulShutdownClosesTheStreamAndExitsZero() throws Exception {
        storeCredential();
        startAgent(null);
        gateway.nextHello();

        client.shutdown();

        assertThat(running.get(10, TimeUnit.SECONDS).code()).isEqualTo(ExitStatus.OK);
        assertThat(gateway.streamEnds.poll(5, TimeUnit.SECONDS)).isEqualTo("completed by agent");
        assertThat(sleeps).isEmpty();
    }
}
