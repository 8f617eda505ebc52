package dev.rdeportal.portal.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local runtime's workspace processes outlive their agent (that is the point of adoption), so
 * tests read the agent's workspace records to find, kill or inspect them.
 */
public final class WorkspaceProcesses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkspaceProcesses() {
    }

    public static Optional<ProcessHandle> of(Path agentDataDir, String workspaceId) {
        return recorded(agentDataDir.resolve("workspaces").resolve(workspaceId).resolve("workspace.json"));
    }

    /** A published app's process (workspaces/.published/<request id>/published.json), while it runs. */
    public static Optional<ProcessHandle> published(Path agentDataDir, String requestId) {
        return recorded(agentDataDir.resolve("workspaces").resolve(".published").resolve(requestId)
                .resolve("published.json"));
    }

    /** The running process a workspace.json or published.json names, if it is still there. */
    private static Optional<ProcessHandle> recorded(Path record) {
        try {
            JsonNode process = JSON.readTree(record.toFile()).get("process");
            if (process == null || process.isNull()) {
                return Optional.empty();
            }
            return ProcessHandle.of(process.get("pid").asLong());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
    }

    /**
     * Kills every workspace process tree the agent recorded, and every published app's (test
     * clean-up). Published apps (workspaces/.published/<id>/published.json) run apart from their
     * workspace and outlive the agent as workspaces do: left out, PublishPostgresTest's apps ran on
     * after the tests had finished.
     */
    public static void killAll(Path agentDataDir) {
        Path workspaces = agentDataDir.resolve("workspaces");
        killRecorded(workspaces, "workspace.json");
        killRecorded(workspaces.resolve(".published"), "published.json");
    }

    private static void killRecorded(Path parent, String recordName) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.forEach(dir -> recorded(dir.resolve(recordName)).ifPresent(WorkspaceProcesses::kill));
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
