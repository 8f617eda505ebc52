package dev.rdeportal.gateway;

import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the workspace lifecycle saga reaches agents: handles {@link DispatchWorkspaceOperationCommand}
 * by sending the operation on the control stream of the cluster's agent.
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
}
