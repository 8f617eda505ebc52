package dev.rdeportal.portal.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
        Path record = agentDataDir.resolve("workspaces").resolve(workspaceId).resolve("workspace.json");
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
            p.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
    }

    /** Kills every workspace process tree the agent recorded (test clean-up). */
    public static void killAll(Path agentDataDir) {
        Path workspaces = agentDataDir.resolve("workspaces");
        if (!Files.isDirectory(workspaces)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(workspaces)) {
            dirs.forEach(dir -> of(agentDataDir, dir.getFileName().toString()).ifPresent(WorkspaceProcesses::kill));
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
