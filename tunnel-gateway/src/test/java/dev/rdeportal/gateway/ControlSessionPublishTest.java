package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.CompletePublishOperationCommand;
import dev.rdeportal.domain.publish.CompleteUnpublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FindPendingPublishOperationsQuery;
import dev.rdeportal.domain.publish.FindPublishRequestQuery;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.OperationKind;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.ProtocolVersion;
import dev.rdeportal.proto.v1.PublishedApp;
import dev.rdeportal.proto.v1.WorkspacePhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publish and unpublish operations on a control stream: what goes to the agent, and what its answers become. */
class ControlSessionPublishTest {

    static final DispatchPublishOperationCommand PUBLISH = new DispatchPublishOperationCommand("c1", "pr-1", "op-p",
            "w-1", "demo-abc", 8000, "python3 app.py");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeServerStream out = new FakeServerStream();
    private final CommandGateway commands = mock(CommandGateway.class);
    private final QueryGateway queries = mock(QueryGateway.class);
    private AgentRegistry registry;
    private OperationDispatcher dispatcher;
    private ControlSession session;

    @BeforeEach
    void setUp() {
        when(commands.send(any(), any(MetaData.class))).thenReturn(CompletableFuture.completedFuture(null));
        when(queries.query(any(), any(ResponseType.class))).thenReturn(CompletableFuture.completedFuture(List.of()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry = new AgentRegistry(meters);
        dispatcher = new OperationDispatcher(registry);
    }

    private void connect(ProtocolVersion version) {
        connect(version, List.of());
    }

    private void connect(ProtocolVersion version, List<PublishedApp> published) {
        ControlSession.Dependencies deps = new ControlSession.Dependencies(registry, new ChannelBroker(new SimpleMeterRegistry(),
                id -> java.util.Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), () -> "id"),
                commands, queries, new Reconciler(() -> "op"), scheduler,
                new MutableClock(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 16, name -> "https://" + name + "--pub.apps.example.com");
        session = new ControlSession(deps, new AgentPrincipal("agent-1", "c1", "10.0.0.1"), out);
        session.start(out);
        session.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setVersion(version)
                .setAgentId("agent-1").setClusterId("c1").addAllPublished(published)).build());
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static AgentMessage result(boolean success, String reason, WorkspacePhase phase) {
        return AgentMessage.newBuilder().setOperationResult(OperationResult.newBuilder().setOperationId("op-p")
                .setSuccess(success).setReason(reason)
                .setPublished(PublishedApp.newBuilder().setPublishId("pr-1").setName("demo-abc").setPhase(phase)
                        .setEndpoint("127.0.0.1:41000"))).build();
    }

    @Test
    void aPublishGoesToTheAgentWithItsWorkspaceAndARunningAppCompletesItWithItsUrl() {
        connect(ProtocolVersions.current());

        dispatcher.handle(PUBLISH);
        session.onNext(result(true, "", WorkspacePhase.WORKSPACE_PHASE_RUNNING));

        GatewayMessage sent = out.sent.get(out.sent.size() - 1);
        assertThat(sent.getOperation().getKind()).isEqualTo(OperationKind.OPERATION_KIND_PUBLISH);
        assertThat(sent.getOperation().getSpec().getWorkspaceId()).isEqualTo("w-1");
        assertThat(sent.getOperation().getPublish().getName()).isEqualTo("demo-abc");
        assertThat(sent.getOperation().getPublish().getPort()).isEqualTo(8000);
        verify(commands).send(eq(new CompletePublishOperationCommand("pr-1", "op-p",
                "https://demo-abc--pub.apps.example.com")), any(MetaData.class));
    }

    @Test
    void anAppThatDoesNotRunFailsThePublishWithTheAgentsReason() {
        connect(ProtocolVersions.current());

        dispatcher.handle(PUBLISH);
        session.onNext(result(false, "publish workspace w-1: published app demo-abc is failed: exit 1",
                WorkspacePhase.WORKSPACE_PHASE_FAILED));

        verify(commands).send(eq(new FailPublishOperationCommand("pr-1", "op-p",
                "publish workspace w-1: published app demo-abc is failed: exit 1")), any(MetaData.class));
    }

    @Test
    void anAgentOlderThanOnePointFourIsRefusedAndSentNothing() {
        connect(ProtocolVersion.newBuilder().setMajor(1).setMinor(3).build());
        int before = out.sent.size();

        assertThatThrownBy(() -> dispatcher.handle(PUBLISH)).isInstanceOf(DomainException.class)
                .hasMessageContaining("too old to publish");
        assertThat(out.sent).hasSize(before);
    }

    /** The agent connects while {@code pending} waits for its answer, and the gateway has looked it up. */
    private void reconnectWithPending(PublishRequestView pending) {
        when(queries.query(any(FindPendingPublishOperationsQuery.class), any(ResponseType.class)))
                .thenReturn(CompletableFuture.completedFuture(List.of(pending)));
        connect(ProtocolVersions.current());
        verify(queries, timeout(2000)).query(eq(new FindPendingPublishOperationsQuery("c1")), any(ResponseType.class));
    }

    @Test
    void aReconnectingAgentIsSentItsPendingPublishesAgainWithTheSameId() {
        PublishRequestView pending = new PublishRequestView("pr-1", "w-1", "demo", "c1", "bp-1", "ann@example.com", 8000,
                "", "python3 app.py", "demo-abc", PublishStatus.APPROVED, "ada@example.com", "ok", Instant.EPOCH,
                Instant.EPOCH, false, "op-p", null, null);
        reconnectWithPending(pending);
        assertThat(out.sent).filteredOn(GatewayMessage::hasOperation)
                .extracting(m -> m.getOperation().getOperationId()).containsExactly("op-p");
        session.onNext(result(true, "", WorkspacePhase.WORKSPACE_PHASE_RUNNING));
        verify(commands).send(eq(new CompletePublishOperationCommand("pr-1", "op-p",
                "https://demo-abc--pub.apps.example.com")), any(MetaData.class));
    }

    static final DispatchUnpublishOperationCommand UNPUBLISH = new DispatchUnpublishOperationCommand("c1", "pr-1", "op-u",
            "w-1", "demo-abc");

    private static AgentMessage unpublishResult(boolean success, String reason) {
        return AgentMessage.newBuilder().setOperationResult(OperationResult.newBuilder().setOperationId("op-u")
                .setSuccess(success).setReason(reason)).build();
    }

    @Test
    void anUnpublishGoesToTheAgentWithThePublishIdAndItsAnswerReachesTheRequest() {
        connect(ProtocolVersions.current());

        dispatcher.handle(UNPUBLISH);
        GatewayMessage sent = out.sent.get(out.sent.size() - 1);
        assertThat(sent.getOperation().getKind()).isEqualTo(OperationKind.OPERATION_KIND_UNPUBLISH);
        assertThat(sent.getOperation().getOperationId()).isEqualTo("op-u");
        assertThat(sent.getOperation().getSpec().getWorkspaceId()).isEqualTo("w-1");
        assertThat(sent.getOperation().getPublish().getPublishId()).isEqualTo("pr-1");
        session.onNext(unpublishResult(true, ""));
        verify(commands).send(eq(new CompleteUnpublishOperationCommand("pr-1", "op-u")), any(MetaData.class));

        dispatcher.handle(UNPUBLISH);
        session.onNext(unpublishResult(false, "unpublish workspace w-1: remove /srv/demo-abc: busy"));
        verify(commands).send(eq(new FailUnpublishOperationCommand("pr-1", "op-u",
                "unpublish workspace w-1: remove /srv/demo-abc: busy")), any(MetaData.class));
    }

    @Test
    void anAgentOlderThanOnePointFourCannotUnpublish() {
        connect(ProtocolVersion.newBuilder().setMajor(1).setMinor(3).build());
        int before = out.sent.size();

        assertThatThrownBy(() -> dispatcher.handle(UNPUBLISH)).isInstanceOf(DomainException.class)
                .hasMessageContaining("too old to unpublish");
        assertThat(out.sent).hasSize(before);
    }

    @Test
    void aReconnectingAgentIsSentItsPendingUnpublishAgainWithTheSameId() {
        PublishRequestView pending = new PublishRequestView("pr-1", "w-1", "demo", "c1", "bp-1", "ann@example.com", 8000,
                "", "python3 app.py", "demo-abc", PublishStatus.UNPUBLISHING, "ada@example.com", "ok", Instant.EPOCH,
                Instant.EPOCH, false, "op-u", "https://demo-abc--pub.apps.example.com", null);
        reconnectWithPending(pending);
        assertThat(out.sent).filteredOn(GatewayMessage::hasOperation)
                .extracting(m -> m.getOperation().getKind()).containsExactly(OperationKind.OPERATION_KIND_UNPUBLISH);
        session.onNext(unpublishResult(true, ""));
        verify(commands).send(eq(new CompleteUnpublishOperationCommand("pr-1", "op-u")), any(MetaData.class));
    }

    private static PublishRequestView view(String id, PublishStatus status) {
        return new PublishRequestView(id, "w-1", "demo", "c1", "bp-1", "ann@example.com", 8000, "", "python3 app.py",
                "demo-" + id, status, "ada@example.com", "ok", Instant.EPOCH, Instant.EPOCH, false, "op-" + id, null, null);
    }

    private static PublishedApp running(String id) {
        return PublishedApp.newBuilder().setPublishId(id).setName("demo-" + id)
                .setPhase(WorkspacePhase.WORKSPACE_PHASE_RUNNING).build();
    }

    @Test
    void anAgentsAppsThatNothingShouldRunAreRemovedOnReconnectAndTheirAnswersReachNoRequest() {
        when(queries.query(any(FindPublishRequestQuery.class), any(ResponseType.class))).thenAnswer(call -> {
            String id = ((FindPublishRequestQuery) call.getArgument(0)).requestId();
            return CompletableFuture.completedFuture(switch (id) {
                case "pr-live" -> java.util.Optional.of(view(id, PublishStatus.PUBLISHED));
                case "pr-gone" -> java.util.Optional.of(view(id, PublishStatus.UNPUBLISHED));
                default -> java.util.Optional.empty();
            });
        });

        connect(ProtocolVersions.current(), List.of(running("pr-live"), running("pr-gone"), running("pr-unknown")));

        verify(queries, timeout(2000)).query(eq(new FindPublishRequestQuery("pr-unknown")), any(ResponseType.class));
        List<dev.rdeportal.proto.v1.Operation> sent = out.sent.stream().filter(GatewayMessage::hasOperation)
                .map(GatewayMessage::getOperation).toList();
        assertThat(sent).extracting(o -> o.getKind() + " " + o.getPublish().getPublishId())
                .containsExactly("OPERATION_KIND_UNPUBLISH pr-gone", "OPERATION_KIND_UNPUBLISH pr-unknown");

        for (dev.rdeportal.proto.v1.Operation removal : sent) {
            session.onNext(AgentMessage.newBuilder().setOperationResult(OperationResult.newBuilder()
                    .setOperationId(removal.getOperationId()).setSuccess(true)).build());
        }
        verify(commands, org.mockito.Mockito.never()).send(any(CompleteUnpublishOperationCommand.class), any(MetaData.class));
    }

    @Test
    void anAgentBelowOnePointSixIsNotAskedAboutItsApps() {
        connect(ProtocolVersion.newBuilder().setMajor(1).setMinor(5).build(), List.of(running("pr-unknown")));

        assertThat(out.sent).noneMatch(GatewayMessage::hasOperation);
        verify(queries, org.mockito.Mockito.never()).query(any(FindPublishRequestQuery.class), any(ResponseType.class));
    }
}
