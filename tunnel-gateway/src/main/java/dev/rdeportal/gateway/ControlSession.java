package dev.rdeportal.gateway;

import dev.rdeportal.domain.cluster.RecordAgentConnectedCommand;
import dev.rdeportal.domain.cluster.RecordAgentDisconnectedCommand;
import dev.rdeportal.domain.publish.CompletePublishOperationCommand;
import dev.rdeportal.domain.publish.CompleteUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FailPublishOperationCommand;
import dev.rdeportal.domain.publish.FailUnpublishOperationCommand;
import dev.rdeportal.domain.publish.FindPendingPublishOperationsQuery;
import dev.rdeportal.domain.publish.FindPublishRequestQuery;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.workspace.CompleteWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FailWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.FindClusterWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.ReconcileWorkspaceCommand;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.gateway.channel.AgentLink;
import dev.rdeportal.gateway.channel.ChannelBroker;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Heartbeat;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.OperationKind;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.ProtocolVersion;
import dev.rdeportal.proto.v1.PublishedApp;
import dev.rdeportal.proto.v1.Welcome;
import dev.rdeportal.proto.v1.WorkspaceReport;
import dev.rdeportal.proto.v1.WorkspaceState;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's control stream: a forward-only state machine
 * {@code AWAITING_HELLO → READY → CLOSED}.
 *
 * <ul>
 *   <li>AWAITING_HELLO: the first message must be a {@code Hello} of a supported major version,
 *       naming the agent and cluster of the credential the call was authenticated with.</li>
 *   <li>READY: registered in the {@link AgentRegistry}; answered with a {@code Welcome}; the
 *       connection is recorded; the agent's inventory is reconciled; heartbeats are answered;
 *       operation results and workspace reports become commands.</li>
 *   <li>CLOSED: by the agent, by a lost connection, or by the gateway (heartbeat timeout, a full
 *       outbound queue, a newer connection of the same agent, shutdown). The disconnect is recorded
 *       once, and only for a session that had been READY.</li>
 * </ul>
 *
 * <p>A watchdog closes the stream when nothing arrived for three heartbeat intervals; it runs
 * from the first moment, so a caller that never says Hello holds nothing for long.
 */
final class ControlSession implements StreamObserver<AgentMessage>, AgentLink {

    private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

    private static final int MISSED_HEARTBEATS = 3;
    // Results are accepted only for operations sent on this stream: an agent must not complete
    // operations of workspaces on other clusters. Bounded; an evicted entry is re-sent by the next
    // reconciliation or failed by the saga's deadline.
    private static final int MAX_OPERATIONS_IN_FLIGHT = 4096;

    enum State { AWAITING_HELLO, READY, CLOSED }

    /** Who ended the stream, which decides what may still be written to it. */
    private enum Ending { BY_GATEWAY, BY_AGENT, LOST }

    /** What every session shares; built once by {@link TunnelService}. */
    record Dependencies(
            AgentRegistry registry,
            ChannelBroker channels,
            CommandGateway commands,
            QueryGateway queries,
            Reconciler reconciler,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration heartbeatInterval,
            Duration callTimeout,
            int queueCapacity,
            Function<String, String> publishedUrl) {
    }

    /**
     * An operation sent on this stream: for a workspace, or (1.4) for a publish request and its app's
     * name, to publish it or to take it down.
     */
    private record Sent(String workspaceId, String publishRequestId, String publishName, boolean unpublish,
                        boolean orphanCleanup) {

        boolean publish() {
            return publishRequestId != null;
        }
    }

    private final Dependencies deps;
    private final AgentPrincipal principal;
    private final Outbox outbox;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Map<String, Sent> inFlight = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > MAX_OPERATIONS_IN_FLIGHT;
        }
    };

    private State state = State.AWAITING_HELLO;
    private volatile ConnectedAgent agent;
    private volatile int protocolMinor;
    private volatile Instant lastHeard;
    private ScheduledFuture<?> watchdog;

    ControlSession(Dependencies deps, AgentPrincipal principal, ServerCallStreamObserver<GatewayMessage> out) {
        this.deps = deps;
        this.principal = principal;
        this.outbox = new Outbox(out, deps.queueCapacity());
        this.lastHeard = deps.clock().instant();
    }

    /** Hooks the stream's callbacks; must run before the rpc method returns. */
    void start(ServerCallStreamObserver<GatewayMessage> out) {
        out.setOnReadyHandler(outbox::drain);
        out.setOnCancelHandler(() -> ended(null, "connection lost: call cancelled", Ending.LOST));
        long period = deps.heartbeatInterval().toMillis();
        synchronized (this) {
            watchdog = deps.scheduler().scheduleAtFixedRate(this::checkAlive, period, period, TimeUnit.MILLISECONDS);
        }
    }

    AgentPrincipal principal() {
        return principal;
    }

    @Override
    public String agentId() {
        return principal.agentId();
    }

    @Override
    public int protocolMinor() {
        return protocolMinor;
    }

    /** For the channel broker: open-channel requests and questions about terminal sessions. */
    @Override
    public boolean deliver(GatewayMessage message) {
        return state() == State.READY && send(message);
    }

    /** Set once Hello is accepted; the registry only holds sessions that have one. */
    ConnectedAgent agent() {
        return agent;
    }

    synchronized State state() {
        return state;
    }

    // ---- inbound ----------------------------------------------------------------------------

    @Override
    public void onNext(AgentMessage message) {
        lastHeard = deps.clock().instant();
        State current = state();
        if (current == State.CLOSED) {
            return;
        }
        if (current == State.AWAITING_HELLO) {
            if (!message.hasHello()) {
                close(Status.INVALID_ARGUMENT.withDescription("the first control message must be a Hello"));
                return;
            }
            hello(message.getHello());
            return;
        }
        switch (message.getBodyCase()) {
            case HELLO -> close(Status.INVALID_ARGUMENT.withDescription("Hello may be sent only once per stream"));
            case HEARTBEAT -> send(GatewayMessage.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setSentAtEpochMillis(deps.clock().millis()))
                    .build());
            case OPERATION_RESULT -> result(message.getOperationResult());
            case WORKSPACE_REPORT -> report(message.getWorkspaceReport());
            case CHANNEL_REFUSED -> deps.channels().refused(principal.agentId(), message.getChannelRefused());
            case TERMINAL_SESSIONS, TERMINAL_SESSION_CLOSED -> deps.channels().answered(principal.agentId(), message);
            // A message of a newer minor version: ignoring it is the compatibility rule.
            default -> log.debug("agent {} sent a control message this gateway does not know", principal.agentId());
        }
    }

    @Override
    public void onError(Throwable t) {
        ended(null, "connection lost: " + Status.fromThrowable(t).getCode(), Ending.LOST);
    }

    @Override
    public void onCompleted() {
        ended(null, "agent closed the control stream", Ending.BY_AGENT);
    }

    private void hello(Hello hello) {
        ProtocolVersion version = hello.getVersion();
        if (!ProtocolVersions.supported(version)) {
            close(Status.FAILED_PRECONDITION.withDescription("agent speaks protocol " + ProtocolVersions.format(version)
                    + ", gateway supports major " + ProtocolVersions.MAJOR));
            return;
        }
        if (!hello.getAgentId().equals(principal.agentId()) || !hello.getClusterId().equals(principal.clusterId())) {
            close(Status.PERMISSION_DENIED.withDescription("Hello names agent '" + hello.getAgentId()
                    + "' of cluster '" + hello.getClusterId() + "', but the credential belongs to agent '"
                    + principal.agentId() + "' of cluster '" + principal.clusterId() + "'"));
            return;
        }
        ProtocolVersion negotiated = ProtocolVersions.negotiate(version);
        protocolMinor = negotiated.getMinor();
        agent = new ConnectedAgent(principal.agentId(), principal.clusterId(), principal.remoteHost(),
                ProtocolVersions.format(negotiated), hello.getRuntime(), hello.getAgentVersion(),
                deps.clock().instant());
        ControlSession previous;
        synchronized (this) {
            if (state != State.AWAITING_HELLO) {
                return;
            }
            // Registered under the same lock that close() takes, so a close racing with this Hello
            // either finds the session registered and removes it, or runs before it is registered.
            state = State.READY;
            previous = deps.registry().register(this);
        }
        send(GatewayMessage.newBuilder()
                .setWelcome(Welcome.newBuilder()
                        .setVersion(negotiated)
                        .setHeartbeatIntervalSeconds((int) deps.heartbeatInterval().toSeconds()))
                .build());
        log.info("agent {} of cluster {} connected from {} (protocol {}, runtime {}, agent {})",
                principal.agentId(), principal.clusterId(), principal.remoteHost(),
                ProtocolVersions.format(negotiated), hello.getRuntime(), hello.getAgentVersion());

        // The replaced stream records its disconnect first, so the cluster's history never shows
        // this connection followed by a stale disconnect.
        CompletableFuture<Void> previousEnded = previous == null || previous == this
                ? CompletableFuture.completedFuture(null)
                : previous.close(Status.UNAVAILABLE.withDescription("replaced by a newer connection of the same agent"));
        previousEnded.handle((ignored, error) -> dispatch(
                new RecordAgentConnectedCommand(principal.clusterId(), principal.agentId(),
                        ProtocolVersions.format(negotiated), hello.getRuntime(), hello.getAgentVersion()),
                principal.metaData(), "record connection of agent " + principal.agentId()));
        reconcile(hello.getInventoryList());
        if (protocolMinor >= ProtocolVersions.PUBLISHED_INVENTORY_MINOR && hello.getPublishedCount() > 0) {
            reconcilePublished(hello.getPublishedList());
        }
    }

    /**
     * Removes the apps the agent has that nothing should run ({@link Reconciler#orphanApps}), each
     * looked up by its publish id. A lookup that fails leaves the apps alone until the next
     * reconnect: removing a published app by mistake would be worse than keeping an orphan.
     */
    private void reconcilePublished(List<PublishedApp> apps) {
        Map<String, CompletableFuture<Optional<PublishRequestView>>> lookups = new LinkedHashMap<>();
        for (PublishedApp app : apps) {
            lookups.computeIfAbsent(app.getPublishId(), id -> deps.queries().query(new FindPublishRequestQuery(id),
                            ResponseTypes.optionalInstanceOf(PublishRequestView.class))
                    .orTimeout(deps.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("cannot look up the publish requests of the {} app(s) agent {} has; left alone until it "
                        + "reconnects", apps.size(), principal.agentId(), error);
                return;
            }
            Map<String, PublishRequestView> requests = new HashMap<>();
            lookups.forEach((id, lookup) -> lookup.join().ifPresent(view -> requests.put(id, view)));
            for (Operation removal : deps.reconciler().orphanApps(principal.clusterId(), apps, requests)) {
                log.info("removing published app {} (request {}) from cluster {}, which the control plane does not "
                                + "count as published (operation {})", removal.getPublish().getName(),
                        removal.getPublish().getPublishId(), principal.clusterId(), removal.getOperationId());
                send(removal, new Sent(removal.getSpec().getWorkspaceId(), removal.getPublish().getPublishId(),
                        removal.getPublish().getName(), true, true));
            }
        });
    }

    private void reconcile(List<WorkspaceState> inventory) {
        deps.queries().query(new FindClusterWorkspacesQuery(principal.clusterId()),
                        ResponseTypes.multipleInstancesOf(WorkspaceView.class))
                .orTimeout(deps.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((views, error) -> {
                    if (error != null) {
                        log.error("reconciliation of cluster {} failed; closing the stream so the agent reconnects "
                                + "and it is tried again", principal.clusterId(), error);
                        close(Status.UNAVAILABLE.withDescription("reconciliation failed; reconnect"));
                        return;
                    }
                    List<Reconciler.Action> actions = deps.reconciler().reconcile(views, inventory);
                    log.info("reconciled cluster {}: {} workspace(s) known, {} in the agent's inventory, {} action(s)",
                            principal.clusterId(), views.size(), inventory.size(), actions.size());
                    actions.forEach(this::apply);
                });
        if (protocolMinor >= ProtocolVersions.PUBLISH_MINOR) {
            resendPendingPublishes();
        }
    }

    /**
     * Approved publishes and requested unpublishes without an answer yet: sent again with their own
     * ids (the agent's journal dedupes).
     */
    private void resendPendingPublishes() {
        deps.queries().query(new FindPendingPublishOperationsQuery(principal.clusterId()),
                        ResponseTypes.multipleInstancesOf(PublishRequestView.class))
                .orTimeout(deps.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((views, error) -> {
                    if (error != null) {
                        log.warn("cannot list pending publish operations of cluster {}; their deadlines will fail them",
                                principal.clusterId(), error);
                        return;
                    }
                    for (PublishRequestView view : views) {
                        Operation pending = ProtoConverters.pending(view);
                        log.info("re-sending {} operation {} of request {} to agent {}", kindName(pending),
                                view.operationId(), view.id(), principal.agentId());
                        sendPublish(view.id(), view.publishName(), pending);
                    }
                });
    }

    private void apply(Reconciler.Action action) {
        if (action instanceof Reconciler.SendOperation send) {
            if (send.orphanCleanup()) {
                log.info("deleting orphan workspace {} on cluster {} (operation {})", send.workspaceId(),
                        principal.clusterId(), send.operation().getOperationId());
            }
            sendOperation(send.workspaceId(), send.operation());
        } else if (action instanceof Reconciler.ReportObservation report) {
            dispatch(report.command(), principal.metaData(),
                    "reconcile workspace " + report.workspaceId() + " (observed " + report.command().observed() + ")");
        }
    }

    private void result(OperationResult result) {
        String operationId = result.getOperationId();
        Sent sent;
        synchronized (inFlight) {
            sent = inFlight.remove(operationId);
        }
        if (sent == null) {
            log.warn("agent {} reported a result for operation {}, which was not sent on this stream; ignored",
                    principal.agentId(), operationId);
            return;
        }
        if (sent.unpublish()) {
            unpublishResult(sent, result);
            return;
        }
        if (sent.publish()) {
            publishResult(sent, result);
            return;
        }
        String workspaceId = sent.workspaceId();
        if (result.getSuccess()) {
            dispatch(new CompleteWorkspaceOperationCommand(workspaceId, operationId, result.getState().getPortsMap()),
                    principal.metaData(), "complete operation " + operationId + " of workspace " + workspaceId);
        } else {
            String reason = result.getReason().isBlank() ? "the agent gave no reason" : result.getReason();
            dispatch(new FailWorkspaceOperationCommand(workspaceId, operationId, reason),
                    principal.metaData(), "fail operation " + operationId + " of workspace " + workspaceId);
        }
    }

    private void unpublishResult(Sent sent, OperationResult result) {
        String requestId = sent.publishRequestId();
        String operationId = result.getOperationId();
        if (sent.orphanCleanup()) {
            // No request waits for it: the outcome is only the agent's.
            if (result.getSuccess()) {
                log.info("agent {} removed published app {} (request {})", principal.agentId(), sent.publishName(),
                        requestId);
            } else {
                log.warn("agent {} could not remove published app {} (request {}): {}; tried again at its next "
                        + "reconnect", principal.agentId(), sent.publishName(), requestId, result.getReason());
            }
            return;
        }
        if (result.getSuccess()) {
            dispatch(new CompleteUnpublishOperationCommand(requestId, operationId), principal.metaData(),
                    "complete unpublish operation " + operationId + " of request " + requestId);
            return;
        }
        // The request says "the agent gave no reason" for a blank one.
        dispatch(new FailUnpublishOperationCommand(requestId, operationId, result.getReason()), principal.metaData(),
                "fail unpublish operation " + operationId + " of request " + requestId);
    }

    /** A published app that does not run is a failed publish, whatever the agent called the operation. */
    private void publishResult(Sent sent, OperationResult result) {
        String requestId = sent.publishRequestId();
        String operationId = result.getOperationId();
        boolean running = result.hasPublished()
                && result.getPublished().getPhase() == dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_RUNNING;
        if (result.getSuccess() && running) {
            dispatch(new CompletePublishOperationCommand(requestId, operationId, deps.publishedUrl().apply(sent.publishName())),
                    principal.metaData(), "complete publish operation " + operationId + " of request " + requestId);
            return;
        }
        String reason = !result.getReason().isBlank() ? result.getReason()
                : result.hasPublished() && !result.getPublished().getReason().isBlank() ? result.getPublished().getReason()
                : "the agent reports the app " + (result.hasPublished()
                        ? result.getPublished().getPhase().name().replace("WORKSPACE_PHASE_", "").toLowerCase() : "not running");
        dispatch(new FailPublishOperationCommand(requestId, operationId, reason), principal.metaData(),
                "fail publish operation " + operationId + " of request " + requestId);
    }

    /** Unsolicited: the workspace must be on this agent's cluster, which the read side confirms. */
    private void report(WorkspaceReport report) {
        WorkspaceState observed = report.getState();
        String workspaceId = observed.getWorkspaceId();
        ObservedPhase phase = ProtoConverters.phase(observed.getPhase());
        if (workspaceId.isEmpty() || phase == null) {
            log.warn("agent {} sent a workspace report without workspace id or phase; ignored", principal.agentId());
            return;
        }
        deps.queries().query(new FindWorkspaceQuery(workspaceId), ResponseTypes.optionalInstanceOf(WorkspaceView.class))
                .orTimeout(deps.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((view, error) -> {
                    if (error != null) {
                        log.warn("cannot check report of agent {} on workspace {}; ignored (the next reconnect "
                                + "reconciles it)", principal.agentId(), workspaceId, error);
                        return;
                    }
                    Optional<WorkspaceView> found = view == null ? Optional.empty() : view;
                    if (found.isEmpty() || !principal.clusterId().equals(found.get().clusterId())) {
                        log.warn("agent {} of cluster {} reported workspace {}, which is not on its cluster; ignored",
                                principal.agentId(), principal.clusterId(), workspaceId);
                        return;
                    }
                    String reason = observed.getReason().isBlank()
                            ? "agent reports the workspace " + phase.name().toLowerCase() : observed.getReason();
                    dispatch(new ReconcileWorkspaceCommand(workspaceId, phase, reason, UUID.randomUUID().toString()),
                            principal.metaData(), "reconcile workspace " + workspaceId + " (reported " + phase + ")");
                });
    }

    // ---- outbound ---------------------------------------------------------------------------

    /** Sends an operation; false if the stream is closed or had to be closed because it is full. */
    boolean sendOperation(String workspaceId, Operation operation) {
        return send(operation, new Sent(workspaceId, null, null, false, false));
    }

    /** Sends a publish operation (1.4) of a publish request; its app's name makes the URL of the answer. */
    /** A publish or unpublish operation of request {@code requestId}, whose answer goes to that request. */
    boolean sendPublish(String requestId, String publishName, Operation operation) {
        return send(operation, new Sent(operation.getSpec().getWorkspaceId(), requestId, publishName,
                operation.getKind() == OperationKind.OPERATION_KIND_UNPUBLISH, false));
    }

    private static String kindName(Operation operation) {
        return operation.getKind() == OperationKind.OPERATION_KIND_UNPUBLISH ? "unpublish" : "publish";
    }

    private boolean send(Operation operation, Sent sent) {
        synchronized (inFlight) {
            inFlight.put(operation.getOperationId(), sent);
        }
        if (!send(GatewayMessage.newBuilder().setOperation(operation).build())) {
            return false;
        }
        deps.registry().operationSent(operation.getKind());
        return true;
    }

    private boolean send(GatewayMessage message) {
        return switch (outbox.offer(message)) {
            case ACCEPTED -> true;
            case CLOSED -> false;
            case OVERFLOW -> {
                close(Status.RESOURCE_EXHAUSTED.withDescription("agent is not reading its control stream ("
                        + deps.queueCapacity() + " messages queued); reconnect to reconcile"));
                yield false;
            }
        };
    }

    private void checkAlive() {
        Duration silence = Duration.between(lastHeard, deps.clock().instant());
        if (silence.compareTo(deps.heartbeatInterval().multipliedBy(MISSED_HEARTBEATS)) > 0) {
            log.warn("agent {} of cluster {} silent for {}s; closing its control stream", principal.agentId(),
                    principal.clusterId(), silence.toSeconds());
            close(Status.UNAVAILABLE.withDescription("heartbeat timeout: no message from the agent for "
                    + silence.toSeconds() + "s"));
        }
    }

    // ---- closing ----------------------------------------------------------------------------

    /**
     * Closes the stream from the gateway's side. Answers a future that completes once the
     * disconnect has been recorded (at once for a session that never became READY).
     */
    CompletableFuture<Void> close(Status status) {
        return ended(status, status.getDescription() != null ? status.getDescription() : status.getCode().toString(),
                Ending.BY_GATEWAY);
    }

    private CompletableFuture<Void> ended(Status status, String reason, Ending ending) {
        boolean wasReady;
        synchronized (this) {
            if (state == State.CLOSED) {
                return ended;
            }
            wasReady = state == State.READY;
            state = State.CLOSED;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        switch (ending) {
            case BY_GATEWAY -> outbox.fail(status);
            case BY_AGENT -> outbox.complete();
            case LOST -> outbox.abandon();
        }
        deps.registry().unregister(this);
        if (!wasReady) {
            if (ending == Ending.BY_GATEWAY && status.getCode() != Status.Code.UNAVAILABLE) {
                log.warn("control stream of agent {} from {} refused: {}", principal.agentId(), principal.remoteHost(),
                        reason);
            }
            ended.complete(null);
            return ended;
        }
        log.info("agent {} of cluster {} disconnected: {}", principal.agentId(), principal.clusterId(), reason);
        MetaData metaData = ending == Ending.BY_GATEWAY
                ? AgentPrincipal.CommandMetaData.system(principal.remoteHost())
                : principal.metaData();
        dispatch(new RecordAgentDisconnectedCommand(principal.clusterId(), principal.agentId(), reason), metaData,
                "record disconnection of agent " + principal.agentId())
                .whenComplete((r, e) -> ended.complete(null));
        return ended;
    }

    /** Sends a command; a failure is logged with what was being done, never thrown into gRPC. */
    private CompletableFuture<Object> dispatch(Object command, MetaData metaData, String what) {
        CompletableFuture<Object> sent;
        try {
            sent = deps.commands().send(command, metaData);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.orTimeout(deps.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.warn("{} failed: {}", what, e.toString());
                    }
                });
    }
}
