package dev.rdeportal.agent.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where workspaces actually live: processes on the agent's host ({@code local}) or pods in a
 * namespace per workspace ({@code kubernetes}). Calls for one workspace are serialized by the
 * caller; calls for different workspaces may run in parallel. Every lifecycle call is idempotent,
 * because the control plane re-sends operations after reconnects.
 */
public interface WorkspaceRuntime extends AutoCloseable {

    /** The runtime's name as reported in the handshake ({@code local}, {@code kubernetes}). */
    String name();

    /** Creates the workspace if it does not exist and starts it; a running workspace is left as is. */
    WorkspaceState provision(WorkspaceSpec spec);

    /** Starts an existing workspace; starting a running one changes nothing. */
    WorkspaceState start(WorkspaceSpec spec);

    /** Stops everything running in the workspace; its files stay. */
    WorkspaceState stop(String workspaceId);

    /** Stops and removes the workspace with its files; a missing workspace is fine. */
    void delete(String workspaceId);

    /** Every workspace the runtime knows, running or not. */
    List<WorkspaceState> inventory();

    /** The current state of one workspace ({@link WorkspacePhase#MISSING} when unknown). */
    default WorkspaceState state(String workspaceId) {
        return inventory().stream()
                .filter(s -> s.workspaceId().equals(workspaceId))
                .findFirst()
                .orElseGet(() -> WorkspaceState.missing(workspaceId));
    }

    /** Where the agent reaches an app port of a running workspace (for previews). */
    Optional<InetSocketAddress> portAddress(String workspaceId, int port);

    /**
     * Opens a terminal in a running workspace: a login shell (or {@code command} run by one) in
     * the workspace's home directory, with the workspace's environment and {@code TERM} set, on a
     * TTY of {@code cols} x {@code rows} from its first instruction. Must not be called on a thread
     * that may not block (starting an exec takes a round trip to the cluster).
     *
     * @param command empty for a login shell, else a command run by a login shell
     * @throws WorkspaceRuntimeException when the workspace is unknown or not running; its message
     *                                   is shown to the user
     */
    TerminalProcess openTerminal(String workspaceId, String command, int cols, int rows);

    /**
     * Runs an app of the workspace in production: a snapshot of the workspace's files taken now,
     * the start command run there as its own long-lived process (or Deployment), apart from the
     * workspace, which may be stopped or deleted afterwards without affecting it. Idempotent: an
     * app already published under {@code spec.publishId()} keeps its snapshot and is (re)started
     * if it is not running.
     *
     * @throws WorkspaceRuntimeException when the snapshot cannot be taken (unknown workspace, or in
     *                                   Kubernetes a workspace that is not running); the message is
     *                                   shown to the reviewer
     */
    PublishState publish(PublishSpec spec);

    /** Stops the published app and removes it with its snapshot; an unknown id is fine. */
    void unpublish(String publishId);

    /** Every published app the runtime knows, running or not. */
    List<PublishState> published();

    /** Registers a listener for changes the runtime observes on its own (a process tree died). */
    void onChange(Consumer<WorkspaceState> listener);

    /** Releases watchers and threads; workspaces keep running. */
    @Override
    void close();
}
