package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.preview.PreviewProxy;
import dev.rdeportal.proto.v1.ChannelKind;
import dev.rdeportal.proto.v1.ChannelRefused;
import dev.rdeportal.proto.v1.CloseTerminalSession;
import dev.rdeportal.proto.v1.ListTerminalSessions;
import dev.rdeportal.proto.v1.OpenChannel;
import dev.rdeportal.proto.v1.TerminalSessionClosed;
import dev.rdeportal.proto.v1.TerminalSessions;
import io.grpc.Channel;
import java.util.function.Consumer;

/** Sends terminal channels to the terminal sessions and preview channels to the preview proxy. */
public final class ChannelRouter implements ChannelHandler {

    private final ChannelHandler terminals;
    private final PreviewProxy previews;

    public ChannelRouter(ChannelHandler terminals, PreviewProxy previews) {
        this.terminals = terminals;
        this.previews = previews;
    }

    @Override
    public void open(OpenChannel request, Channel gateway, Consumer<ChannelRefused> refuse) {
        if (request.getKind() == ChannelKind.CHANNEL_KIND_PREVIEW) {
            previews.open(request, gateway, refuse);
        } else {
            terminals.open(request, gateway, refuse);
        }
    }

    @Override
    public TerminalSessions list(ListTerminalSessions request) {
        return terminals.list(request);
    }

    @Override
    public TerminalSessionClosed close(CloseTerminalSession request) {
        return terminals.close(request);
    }

    @Override
    public void connected(Channel gateway, int protocolMinor) {
        terminals.connected(gateway, protocolMinor);
        previews.connected(gateway, protocolMinor);
    }

    @Override
    public void disconnected() {
        terminals.disconnected();
        previews.disconnected();
    }

    @Override
    public void workspaceEnded(String workspaceId, String reason) {
        terminals.workspaceEnded(workspaceId, reason);
        previews.workspaceEnded(workspaceId, reason);
    }
}
