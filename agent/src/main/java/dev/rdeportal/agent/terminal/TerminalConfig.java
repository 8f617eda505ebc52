package dev.rdeportal.agent.terminal;

import java.time.Duration;

/**
 * How terminal sessions behave on this agent.
 *
 * @param detachTimeout how long a session's process outlives its last client; a client that
 *                      re-attaches within it finds its shell as it left it
 * @param bufferBytes   output kept per session and replayed to a client that re-attaches
 * @param maxSessions   sessions this agent keeps at once, over all workspaces and users
 */
public record TerminalConfig(Duration detachTimeout, int bufferBytes, int maxSessions) {

    public TerminalConfig {
        detachTimeout = detachTimeout == null ? Duration.ofMinutes(5) : detachTimeout;
        if (detachTimeout.isNegative() || detachTimeout.isZero()) {
            throw new IllegalArgumentException("terminal detach timeout must be positive, was " + detachTimeout);
        }
        if (bufferBytes < 1024 || bufferBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("terminal buffer must be between 1 KiB and 16 MiB, was " + bufferBytes);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maximum terminal sessions must be positive, was " + maxSessions);
        }
    }

    /** 5 minutes, 64 KiB, 256 sessions. */
    public static TerminalConfig defaults() {
        return new TerminalConfig(Duration.ofMinutes(5), 64 * 1024, 256);
    }
}
