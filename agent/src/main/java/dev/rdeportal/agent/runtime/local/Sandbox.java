package dev.rdeportal.agent.runtime.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How workspace processes are confined on the host. With bubblewrap the root file system is
 * read-only, only the workspace directory is writable, /tmp is private and the tree has its own
 * PID namespace; without it processes run plainly as the agent's user.
 */
abstract class Sandbox {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.runtime.local.sandbox");

    /** The command line that runs {@code command} confined to {@code workspaceDir}, in {@code home}. */
    abstract List<String> wrap(Path workspaceDir, Path home, List<String> command);

    abstract boolean confining();

    static Sandbox none() {
        return new Sandbox() {
            @Override
            List<String> wrap(Path workspaceDir, Path home, List<String> command) {
                return List.copyOf(command);
            }

            @Override
            boolean confining() {
                return false;
            }
        };
    }

    static Sandbox bubblewrap(Path bwrap) {
        return new Sandbox() {
            @Override
            List<String> wrap(Path workspaceDir, Path home, List<String> command) {
                List<String> line = new ArrayList<>(List.of(
                        bwrap.toString(),
                        "--ro-bind", "/", "/",
                        "--dev", "/dev",
                        "--proc", "/proc",
                        // /tmp first: the workspace directory may itself live under /tmp.
                        "--tmpfs", "/tmp",
                        "--bind", workspaceDir.toString(), workspaceDir.toString(),
                        "--unshare-pid",
                        "--die-with-parent",
                        "--chdir", home.toString(),
                        "--"));
                line.addAll(command);
                return line;
            }

            @Override
            boolean confining() {
                return true;
            }
        };
    }

    /** Bubblewrap when it is installed and actually works here (user namespaces may be off). */
    static Sandbox detect() {
        Optional<Path> bwrap = onPath("bwrap");
        if (bwrap.isPresent() && probe(bwrap.get())) {
            log.info("workspaces are sandboxed with bubblewrap ({})", bwrap.get());
            return bubblewrap(bwrap.get());
        }
        log.warn("bubblewrap is {}: workspaces are NOT sandboxed and run as the agent's user",
                bwrap.isPresent() ? "installed but does not work here" : "not installed");
        return none();
    }

    private static boolean probe(Path bwrap) {
        try {
            Process probe = new ProcessBuilder(bwrap.toString(), "--ro-bind", "/", "/", "--dev", "/dev",
                    "--proc", "/proc", "true")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!probe.waitFor(5, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
