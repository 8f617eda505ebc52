package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher exec'd in the pod, run here by a real shell (without a TTY, so stty just fails). */
class ExecTerminalTest {

    @Test
    void aToolCommandReachesTheLoginShellAsOneArgumentUnparsed() throws Exception {
        String output = run(ExecTerminal.command("printf '%s|' \"$TERM\" 'a b'; echo", 120, 40));

        assertThat(output).isEqualTo("xterm-256color|a b|\n");
    }

    @Test
    void theWindowSizeAndCommandArePassedAsArgumentsNotSpliced() {
        assertThat(List.of(ExecTerminal.command("claude; rm -rf /", 80, 24)))
                .startsWith("sh", "-c")
                .endsWith("rde-terminal", "80", "24", "claude; rm -rf /");
    }

    private static String run(String[] command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
