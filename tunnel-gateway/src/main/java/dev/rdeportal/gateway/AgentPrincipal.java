package dev.rdeportal.gateway;

import dev.rdeportal.domain.MetaDataKeys;
import io.grpc.Context;
import org.axonframework.messaging.MetaData;

/**
 * The agent a call was authenticated as, and where it came from. Put in the gRPC {@link Context}
 * by {@link AgentAuthenticator}; holds no secret.
 */
record AgentPrincipal(String agentId, String clusterId, String remoteHost) {

    static final Context.Key<AgentPrincipal> KEY = Context.key("rde-agent-principal");
    /** Set for every call, Join included, which has no principal yet. */
    static final Context.Key<String> REMOTE_HOST = Context.key("rde-remote-host");

    /** Metadata for the commands this agent's traffic causes (audit: who, from where). */
    MetaData metaData() {
        return CommandMetaData.agent(agentId, remoteHost);
    }

    static AgentPrincipal current() {
        AgentPrincipal principal = KEY.get();
        if (principal == null) {
            // The interceptor guards every method but Join; reaching this is a wiring bug.
            throw new IllegalStateException("no authenticated agent in the call context");
        }
        return principal;
    }

    static final class CommandMetaData {

        private CommandMetaData() {
        }

        static MetaData agent(String agentId, String clientIp) {
            return MetaData.with(MetaDataKeys.ACTOR, MetaDataKeys.agentActor(agentId))
                    .and(MetaDataKeys.CLIENT_IP, clientIp);
        }

        static MetaData system(String clientIp) {
            return MetaData.with(MetaDataKeys.ACTOR, MetaDataKeys.SYSTEM).and(MetaDataKeys.CLIENT_IP, clientIp);
        }
    }
}
