package dev.rdeportal.agent.tunnel;

/**
 * How the agent ended: the process exit code and a one-line reason for the operator. Only
 * conditions that retrying cannot fix are fatal; network trouble never ends the agent.
 */
public record ExitStatus(int code, String reason) {

    public static final int OK = 0;
    /** Unexpected local failure (data directory not writable, ...). */
    public static final int ERROR = 1;
    /** Bad flags or configuration; also picocli's code for usage errors. */
    public static final int USAGE = 2;
    /** The gateway refused the join token or the stored agent credential. */
    public static final int REFUSED = 3;
    /** The gateway does not speak this agent's protocol version. */
    public static final int UNSUPPORTED_PROTOCOL = 4;
    /** The gateway's certificate does not match the trusted or pinned CA. */
    public static final int CERTIFICATE = 5;

    public ExitStatus {
        // One line, whatever a remote peer put into a status description.
        reason = reason == null ? "" : reason.replaceAll("[\\r\\n]+", " ").strip();
    }

    static ExitStatus ok() {
        return new ExitStatus(OK, "shut down on request");
    }
}
