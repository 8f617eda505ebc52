package dev.rdeportal.proto;

import dev.rdeportal.proto.v1.ProtocolVersion;

/** The tunnel protocol version this build speaks, and the rule both ends use to agree on one. */
public final class ProtocolVersions {

    public static final int MAJOR = 1;
    public static final int MINOR = 6;

    /**
     * Flow-control credit of a channel stream, per direction (since 1.1): data bytes a sender may
     * have unacknowledged (plus one frame). See {@code Ack} in tunnel.proto.
     */
    public static final int CHANNEL_WINDOW_BYTES = 256 * 1024;

    /** Largest data frame either side sends on a channel stream. */
    public static final int CHANNEL_MAX_FRAME_BYTES = 16 * 1024;

    /**
     * What a data frame of {@code dataBytes} costs of the channel credit: its size, but at least
     * 256, so the credit bounds the number of frames in flight as well as their bytes.
     */
    public static int channelCost(int dataBytes) {
        return Math.max(dataBytes, 256);
    }

    /**
     * What a frame costs of the channel credit: data frames and (1.3) WebSocket messages cost
     * {@link #channelCost}; every other frame is free.
     */
    public static int frameCost(dev.rdeportal.proto.v1.ChannelFrame frame) {
        return switch (frame.getBodyCase()) {
            case DATA -> channelCost(frame.getData().size());
            case MESSAGE -> channelCost(frame.getMessage().getPayload().size());
            default -> 0;
        };
    }

    /**
     * Largest data frame on a preview channel (1.3): previews move bulk bodies, and each frame is a
     * gRPC message through TLS and HTTP/2, so they use larger frames than terminals.
     */
    public static final int PREVIEW_MAX_FRAME_BYTES = 64 * 1024;

    /**
     * The agent's credit on a preview channel (1.3), app → gateway: 1 MiB, so a bulk response is not
     * held to one 256 KiB window per round trip through both processes.
     */
    public static final int PREVIEW_WINDOW_BYTES = 1024 * 1024;

    /** Largest WebSocket message relayed through a preview (1.3); larger ones close the socket (1009). */
    public static final int PREVIEW_MAX_MESSAGE_BYTES = 1024 * 1024;

    /** The first minor version that publishes apps (PUBLISH operations, preview channels to a published app). */
    public static final int PUBLISH_MINOR = 4;

    /**
     * 1.5: the first minor whose gateway offers terminal output frames larger than
     * {@link #CHANNEL_MAX_FRAME_BYTES}, in {@code OpenChannel.max_frame_bytes}.
     */
    public static final int TERMINAL_FRAME_MINOR = 5;

    /** 1.6: the first minor whose agent lists its published apps in {@code Hello.published}. */
    public static final int PUBLISHED_INVENTORY_MINOR = 6;

    /**
     * 1.5: the largest terminal output frame (agent → gateway) a gateway may offer, as previews have
     * since 1.3. Each frame is a gRPC message, a TLS record run and a WebSocket message, so four
     * times fewer of them per MiB of a flood.
     */
    public static final int TERMINAL_MAX_FRAME_BYTES = 64 * 1024;

    /**
     * 1.5: the largest data frame an agent sends on a terminal channel whose {@code OpenChannel}
     * offered {@code offered} bytes: 16 KiB when nothing was offered (a gateway before 1.5), never
     * more than {@link #TERMINAL_MAX_FRAME_BYTES}, never less than 16 KiB.
     */
    public static int terminalFrameBytes(int offered) {
        return offered <= CHANNEL_MAX_FRAME_BYTES ? CHANNEL_MAX_FRAME_BYTES : Math.min(offered, TERMINAL_MAX_FRAME_BYTES);
    }

    /** 1.5: the first minor version with spare preview streams ({@code ChannelOpen.spare}, {@code ChannelFrame.request}). */
    public static final int SPARE_PREVIEW_MINOR = 5;

    /** Metadata keys that carry the agent credential on every call but {@code Join}. */
    public static final String AGENT_ID_HEADER = "rde-agent-id";
    public static final String AGENT_SECRET_HEADER = "rde-agent-secret";

    private ProtocolVersions() {
    }

    public static ProtocolVersion current() {
        return ProtocolVersion.newBuilder().setMajor(MAJOR).setMinor(MINOR).build();
    }

    /** Whether a peer of this version can talk to us at all: same major. */
    public static boolean supported(ProtocolVersion peer) {
        return peer.getMajor() == MAJOR;
    }

    /** The version both sides speak: our major and the lower minor. */
    public static ProtocolVersion negotiate(ProtocolVersion peer) {
        if (!supported(peer)) {
            throw new IllegalArgumentException("unsupported protocol major " + peer.getMajor()
                    + " (this side speaks " + MAJOR + "." + MINOR + ")");
        }
        return ProtocolVersion.newBuilder()
                .setMajor(MAJOR)
                .setMinor(Math.min(MINOR, peer.getMinor()))
                .build();
    }

    public static String format(ProtocolVersion v) {
        return v.getMajor() + "." + v.getMinor();
    }
}
