package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.CloseTerminalSession;
import dev.rdeportal.proto.v1.ListTerminalSessions;
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.TerminalSessionClosed;
import dev.rdeportal.proto.v1.TerminalSessions;
import io.grpc.Channel;
import java.util.function.Consumer;

/**
 * Serves the gateway's "open channel" requests (terminals, previews) and its questions about
 * terminal sessions. An implementation dials its own {@code AgentTunnel.Channel} stream on
 * {@code gateway} (which already carries the agent credential), so each session gets its own
 * HTTP/2 stream and flow control.
 */
public interface ChannelHandler {

    /**
     * Called on the control stream's thread: must not block.
     *
     * @param refuse sends a refusal for this request over the control stream
     */
    void open(OpenChannel request, Channel gateway, Consumer<ChannelRefused> refuse);

    /** The user's terminal sessions in a workspace. Called on the control stream's thread: must not block. */
    default TerminalSessions list(ListTerminalSessions request) {
        return TerminalSessions.newBuilder().setRequestId(request.getRequestId()).build();
    }

    /** Ends one of the user's terminal sessions. Called on the control stream's thread: must not block. */
    default TerminalSessionClosed close(CloseTerminalSession request) {
        return TerminalSessionClosed.newBuilder().setRequestId(request.getRequestId()).setFound(false).build();
    }

    /** The workspace is being stopped or deleted: whatever runs in it for clients ends, with {@code reason}. */
    default void workspaceEnded(String workspaceId, String reason) {
    }

    /**
     * The control stream on {@code gateway} was welcomed with protocol minor {@code protocolMinor}
     * (1.5: previews keep spare streams open on it). Must not block.
     */
    default void connected(Channel gateway, int protocolMinor) {
    }

    /** The control stream ended: whatever was kept open ahead on its connection is given up. */
    default void disconnected() {
    }

    /** Until terminals and previews are implemented: every request is refused, with a reason. */
    static ChannelHandler refusingAll() {
        return (request, gateway, refuse) -> refuse.accept(ChannelRefused.newBuilder()
                .setChannelId(request.getChannelId())
                .setReason("channels are not supported by this agent yet")
                .build());
    }
}
