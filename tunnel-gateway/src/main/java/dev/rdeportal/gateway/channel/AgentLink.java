package dev.rdeportal.gateway.channel;

import dev.rdeportal.proto.v1.GatewayMessage;

/** What the broker needs of an agent's control stream. */
public interface AgentLink {

    String agentId();

    /** The minor protocol version negotiated with this agent. */
    int protocolMinor();

    /** Queues a message on the control stream; false when the stream is closed or had to be closed. */
    boolean deliver(GatewayMessage message);
}
