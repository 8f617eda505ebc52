package dev.rdeportal.agent.terminal;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * What a test of terminal sessions against a gateway of its own holds, and its teardown: the
 * sessions' threads, the gateway's server and the agent's channel to it, each set by the test.
 */
abstract class GatewayChannelTest {

    protected final ExecutorService threads = Executors.newCachedThreadPool();
    protected final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    protected Server server;
    protected ManagedChannel channel;
    protected TerminalSessions sessions;

    @AfterEach
    void stop() throws Exception {
        if (sessions != null) {
            sessions.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
        scheduler.shutdownNow();
    }
}
