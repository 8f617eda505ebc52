package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.OpenChannel;
import io.grpc.Channel;
import java.util.function.Consumer;

/**
 * Serves the gateway's "open channel" requests (terminals, previews). An implementation dials its
 * own {@code AgentTunnel.Channel} stream on {@code gateway} (which already carries the agent
 * credential), so each session gets its own HTTP/2 stream and flow control.
 */
public interface ChannelHandler {

    /**
     * Called on the control stream's thread: must not block.
     *
     * @param refuse sends a refusal for this request over the control stream
     */
    void open(OpenChannel request, Channel gateway, Consumer<ChannelRefused> refuse);

    /** Until terminals and previews are implemented: every request is refused, with a reason. */
    static ChannelHandler refusingAll() {
        return (request, gateway, refuse) -> refuse.accept(ChannelRefused.newBuilder()
                .setChannelId(request.getChannelId())
                .setReason("channels are not supported by this agent yet")
                .build());
    }
}
