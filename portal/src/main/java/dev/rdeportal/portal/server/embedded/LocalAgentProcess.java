package dev.rdeportal.portal.server.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The embedded default's agent: a separate JVM (the same executable a cluster runs), dialing the
 * gateway over TLS on loopback. Restarted if it dies; stopped with the portal. The join token goes
 * through the environment, never the command line, where any local user could read it.
 */
@Component
class LocalAgentProcess implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger("rde.embedded.agent");
    private static final int REFUSED = 2;

    private final EmbeddedProperties properties;
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rde-local-agent-supervisor");
        t.setDaemon(true);
        return t;
    });
    private volatile Process process;
    private volatile boolean stopping;
    private int restarts;

    LocalAgentProcess(EmbeddedProperties properties) {
        this.properties = properties;
    }

    synchronized void start(int gatewayPort, Optional<String> joinToken) {
        Optional<Path> jar = locateJar();
        if (jar.isEmpty()) {
            log.error("cannot start the local agent: no agent jar found (build it with ./mvnw package, "
                    + "or set rde.embedded.agent-jar)");
            return;
        }
        launch(jar.get(), gatewayPort, joinToken);
    }

    private synchronized void launch(Path jar, int gatewayPort, Optional<String> joinToken) {
        if (stopping) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-jar", jar.toString(),
                "--gateway", "127.0.0.1:" + gatewayPort,
                "--data-dir", properties.agentDataDir().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (properties.agentLogFile() == null) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(properties.agentLogFile().toFile()));
        }
        builder.environment().remove("RDE_AGENT_JOIN_TOKEN");
        joinToken.ifPresent(token -> builder.environment().put("RDE_AGENT_JOIN_TOKEN", token));
        try {
            Files.createDirectories(properties.agentDataDir());
            Process started = builder.start();
            process = started;
            log.info("local agent started (pid {})", started.pid());
            started.onExit().thenAccept(exited -> onExit(exited, jar, gatewayPort));
        } catch (Exception e) {
            log.error("cannot start the local agent: {}", e.getMessage());
        }
    }

    private void onExit(Process exited, Path jar, int gatewayPort) {
        if (stopping) {
            return;
        }
        int status = exited.exitValue();
        if (status == REFUSED) {
            log.error("the local agent was refused (exit {}); see its last line above", status);
            return;
        }
        long delay = Math.min(30, 1L << Math.min(restarts++, 5));
        log.warn("the local agent exited with status {}; restarting in {} s", status, delay);
        // A restart never reuses a join token: the credential is in the agent's data dir by now.
        supervisor.schedule(() -> launch(jar, gatewayPort, Optional.empty()), delay, TimeUnit.SECONDS);
    }

    private Optional<Path> locateJar() {
        if (properties.agentJar() != null) {
            return Optional.of(properties.agentJar()).filter(Files::isRegularFile);
        }
        return List.of(Path.of("agent", "target", "rde-agent.jar"), Path.of("..", "agent", "target", "rde-agent.jar"))
                .stream().filter(Files::isRegularFile).findFirst();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
                .toString();
    }

    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        supervisor.shutdownNow();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
