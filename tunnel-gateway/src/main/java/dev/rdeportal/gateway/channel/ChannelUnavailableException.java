package dev.rdeportal.gateway.channel;

/**
 * A channel could not be opened: no agent connected ({@link #agentMissing()}), the agent refused
 * (its reason is the message), or it did not dial back in time. The message is meant for the user.
 */
public final class ChannelUnavailableException extends RuntimeException {

    private final boolean agentMissing;

    public ChannelUnavailableException(String message) {
        this(message, false);
    }

    private ChannelUnavailableException(String message, boolean agentMissing) {
        super(message, null, false, false);
        this.agentMissing = agentMissing;
    }

    /** The workspace's agent is not connected to this portal. */
    static ChannelUnavailableException noAgent() {
        return new ChannelUnavailableException("the workspace's agent is not connected", true);
    }

    /** True when no agent was there to ask (as opposed to an agent that refused or was too slow). */
    public boolean agentMissing() {
        return agentMissing;
    }
}
