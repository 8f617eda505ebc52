package dev.rdeportal.gateway;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Operation;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the workspace lifecycle and publish sagas reach agents: handles
 * {@link DispatchWorkspaceOperationCommand}, {@link DispatchPublishOperationCommand} and
 * {@link DispatchUnpublishOperationCommand} by sending
 * the operation on the control stream of the cluster's agent.
 *
 * <p>Nothing is queued for an agent that is not connected: a reconnecting agent is sent every
 * pending operation again, with the same id, during reconciliation, so a queue here would only
 * duplicate that and grow while the agent is away.
 */
final class OperationDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OperationDispatcher.class);

    private final AgentRegistry registry;

    OperationDispatcher(AgentRegistry registry) {
        this.registry = registry;
    }

    @CommandHandler
    void handle(DispatchWorkspaceOperationCommand cmd) {
        Optional<ControlSession> session = registry.forCluster(cmd.clusterId());
        if (session.isPresent() && session.get().sendOperation(cmd.workspaceId(), ProtoConverters.operation(cmd))) {
            log.debug("sent {} operation {} of workspace {} to agent {}", cmd.kind(), cmd.operationId(),
                    cmd.workspaceId(), session.get().principal().agentId());
            return;
        }
        log.info("no agent of cluster {} connected: {} operation {} of workspace {} will be sent when it reconnects",
                cmd.clusterId(), cmd.kind(), cmd.operationId(), cmd.workspaceId());
    }

    /**
     * Publish operations go only to agents that speak 1.4; an older agent is refused here, and the
     * publish saga fails the request with this message at once instead of waiting for its deadline.
     */
    @CommandHandler
    void handle(DispatchPublishOperationCommand cmd) {
        sendPublish("publish", cmd.clusterId(), cmd.requestId(), cmd.publishName(), ProtoConverters.publish(cmd));
    }

    /** As a publish: agents older than 1.4 are refused at once. */
    @CommandHandler
    void handle(DispatchUnpublishOperationCommand cmd) {
        sendPublish("unpublish", cmd.clusterId(), cmd.requestId(), cmd.publishName(), ProtoConverters.unpublish(cmd));
    }

    private void sendPublish(String what, String clusterId, String requestId, String publishName, Operation operation) {
        Optional<ControlSession> session = registry.forCluster(clusterId);
        if (session.isPresent() && session.get().protocolMinor() < ProtocolVersions.PUBLISH_MINOR) {
            throw DomainException.conflict("the agent of cluster " + clusterId + " is too old to " + what + " (protocol 1."
                    + session.get().protocolMinor() + "; publishing needs 1." + ProtocolVersions.PUBLISH_MINOR + ")");
        }
        if (session.isPresent() && session.get().sendPublish(requestId, publishName, operation)) {
            log.debug("sent {} operation {} of request {} to agent {}", what, operation.getOperationId(), requestId,
                    session.get().principal().agentId());
            return;
        }
        log.info("no agent of cluster {} connected: {} operation {} of request {} will be sent when it reconnects",
                clusterId, what, operation.getOperationId(), requestId);
    }
}
