package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Hello;
import io.grpc.Status;
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

/** Outbound flow control of a control stream, against a transport the test controls. */
class ControlSessionFlowControlTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeServerStream out = new FakeServerStream();
    private AgentRegistry registry;
    private OperationDispatcher dispatcher;

    @BeforeEach
    void connect() {
        CommandGateway commands = mock(CommandGateway.class);
        when(commands.send(any(), any(MetaData.class))).thenReturn(CompletableFuture.completedFuture(null));
        QueryGateway queries = mock(QueryGateway.class);
        when(queries.query(any(), any(ResponseType.class))).thenReturn(CompletableFuture.completedFuture(List.of()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry = new AgentRegistry(meters);
        dispatcher = new OperationDispatcher(registry);
        ControlSession.Dependencies deps = new ControlSession.Dependencies(registry, new ChannelBroker(meters, id -> java.util.Optional.empty(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), () -> "id"),
                commands, queries, new Reconciler(() -> "op"), scheduler,
                new MutableClock(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 3, name -> "http://" + name + "--pub.preview.localhost:8080");
        ControlSession session = new ControlSession(deps, new AgentPrincipal("agent-1", "c1", "10.0.0.1"), out);
        session.start(out);
        session.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setVersion(ProtocolVersions.current())
                .setAgentId("agent-1").setClusterId("c1")).build());
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void messagesWaitUntilTheTransportIsReadyAndLeaveInOrder() {
        out.ready = false;
        dispatch("op-1");
        dispatch("op-2");
        assertThat(out.sent).extracting(GatewayMessage::hasWelcome).containsExactly(true);

        out.ready = true;
        out.onReady.run();

        assertThat(out.sent).extracting(m -> m.getOperation().getOperationId()).containsExactly("", "op-1", "op-2");
        assertThat(out.error).isNull();
    }

    @Test
    void anAgentThatStopsReadingIsDisconnectedInsteadOfBufferingWithoutBound() {
        out.ready = false;
        dispatch("op-1");
        dispatch("op-2");
        dispatch("op-3");
        assertThat(out.error).isNull();

        dispatch("op-4");

        assertThat(out.error).isNotNull();
        assertThat(Status.fromThrowable(out.error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(registry.isConnected("c1")).isFalse();
        // Nothing more is written to a stream that was failed.
        out.ready = true;
        out.onReady.run();
        assertThat(out.sent).extracting(GatewayMessage::hasWelcome).containsExactly(true);
    }

    private void dispatch(String operationId) {
        dispatcher.handle(new DispatchWorkspaceOperationCommand("c1", "w-1", operationId, OperationKind.START,
                "dev@example.com", "demo", "bp-1", null));
    }
}
