package dev.rdeportal.gateway;

import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelRefused;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where terminal and preview channels will be paired: a browser's WebSocket (or a preview request)
 * on one side, the agent's {@code Channel} stream on the other.
 *
 * <pre>
 *  browser ──WSS──► relay ──OpenChannel(id) on control stream──► agent
 *                     ▲                                            │
 *                     └──────────── ChannelBroker ◄── Channel(id) ─┘  (own HTTP/2 stream)
 * </pre>
 *
 * Channels arrive with the terminal feature. Until then the {@code Channel} rpc answers
 * {@code UNIMPLEMENTED}; the open-channel count it will maintain is already exported as the gauge
 * {@code rde.tunnel.channels.open}.
 */
public final class ChannelBroker {

    private static final Logger log = LoggerFactory.getLogger(ChannelBroker.class);

    private final AtomicInteger openChannels = new AtomicInteger();

    ChannelBroker(MeterRegistry meters) {
        Gauge.builder("rde.tunnel.channels.open", openChannels, AtomicInteger::get)
                .description("terminal and preview channels currently relayed")
                .register(meters);
    }

    /** Channels currently relayed. */
    public int openChannels() {
        return openChannels.get();
    }

    /** An agent dialled a channel stream. */
    StreamObserver<ChannelFrame> open(AgentPrincipal agent, StreamObserver<ChannelFrame> toAgent) {
        toAgent.onError(Status.UNIMPLEMENTED.withDescription("channels arrive with the terminal feature")
                .asRuntimeException());
        // The call is closed; gRPC delivers nothing more to this observer.
        return new StreamObserver<>() {
            @Override
            public void onNext(ChannelFrame frame) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    /** The agent could not open a channel the gateway asked for. */
    void refused(AgentPrincipal agent, ChannelRefused refused) {
        log.info("agent {} refused channel {}: {}", agent.agentId(), refused.getChannelId(), refused.getReason());
    }
}
