package dev.rdeportal.agent.runtime;

import java.util.regex.Pattern;

/**
 * An app of a workspace to run in production, as the control plane approved it: a snapshot of the
 * workspace's files, started with {@code startCommand}, listening on {@code port}, under a stable
 * {@code name} that survives republishing (it names the Kubernetes Deployment and Service, so
 * whatever routes to the app keeps working).
 *
 * @param publishId    the control plane's id of this publication; unpublish names it
 * @param workspaceId  the workspace whose files are snapshotted
 * @param name         stable DNS label: lowercase letters, digits and '-', at most 40 characters
 * @param port         the port the app listens on (it gets it as {@code PORT})
 * @param startCommand shell command that starts the app in the snapshot's directory
 */
public record PublishSpec(String publishId, String workspaceId, String name, int port, String startCommand) {

    /** Short enough that {@code <name>.<namespace>.svc} and derived object names stay valid. */
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");

    public PublishSpec {
        WorkspaceSpec.requireValidId(publishId);
        WorkspaceSpec.requireValidId(workspaceId);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("publish " + publishId + ": invalid name '" + name
                    + "': expected 1-40 lowercase letters, digits or '-', starting with a letter");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("publish " + publishId + ": port out of range: " + port);
        }
        startCommand = startCommand == null ? "" : startCommand.strip();
        if (startCommand.isEmpty()) {
            throw new IllegalArgumentException("publish " + publishId + ": a published app needs a start command");
        }
    }
}
