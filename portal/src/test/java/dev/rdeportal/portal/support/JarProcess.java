package dev.rdeportal.portal.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A separate JVM running one of our jars, its output kept (in memory and in a log file next to the
 * test's data) so tests can wait for and count what it says.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String name;

    private JarProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(() -> pump(logFile), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    public static JarProcess start(String name, Path jar, List<String> args, Map<String, String> env, Path workDir) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("RDE_"));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(workDir);
            return new JarProcess(name, builder.start(), workDir.resolve(name + ".log"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    private void pump(Path logFile) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long count(Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }

    public void awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(pattern) > 0) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing " + pattern
                        + "; last lines:\n" + tail());
            }
            Api.sleep(100);
        }
        throw new AssertionError(name + " did not print " + pattern + " in " + timeout + "; last lines:\n" + tail());
    }

    public String tail() {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hooks, no goodbyes — a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
