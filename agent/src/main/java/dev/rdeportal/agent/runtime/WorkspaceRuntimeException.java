package dev.rdeportal.agent.runtime;

/** A runtime could not do what was asked; the message names the workspace and the step. */
public class WorkspaceRuntimeException extends RuntimeException {

    public WorkspaceRuntimeException(String message) {
        super(message);
    }

    public WorkspaceRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
