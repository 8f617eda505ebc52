package dev.rdeportal.agent.tunnel;

import io.grpc.ManagedChannel;
import java.util.Optional;

/**
 * Dials the gateway: TLS over Netty in production, in-process in tests. Each connection attempt
 * gets a fresh channel, so a redial really starts from scratch (new TCP connection, new handshake).
 */
public interface ChannelFactory {

    ManagedChannel open();

    /**
     * The gateway CA, in PEM, that the agent should keep for later connections once it has joined
     * (the certificate the join token's fingerprint selected on first contact), if any.
     */
    default Optional<String> caToPersist() {
        return Optional.empty();
    }
}
