package dev.rdeportal.gateway.channel;

/**
 * A channel could not be opened: no agent connected, the agent refused (its reason is the
 * message), or it did not dial back in time. The message is meant for the user.
 */
public final class ChannelUnavailableException extends RuntimeException {

    public ChannelUnavailableException(String message) {
        super(message, null, false, false);
    }
}
