package dev.rdeportal.gateway;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The TLS gRPC server agents dial. Started last and stopped first among the application's
 * lifecycle beans (default phase), so the command and query buses are up for as long as agents
 * can reach it.
 *
 * <p>Keepalive and connection age are explicit: the gateway pings idle agents, tolerates agents
 * pinging it (also without calls, as an idle agent between streams does), and recycles connections
 * after {@code max-connection-age} so they spread over replicas and pick up new certificates.
 */
public final class TunnelServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);
    private static final long SHUTDOWN_GRACE_SECONDS = 5;

    private final GatewayProperties properties;
    private final TlsMaterial tls;
    private final TunnelService service;
    private final AgentAuthenticator authenticator;
    private final AgentRegistry registry;
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile Server server;

    TunnelServer(GatewayProperties properties, TlsMaterial tls, TunnelService service,
                 AgentAuthenticator authenticator, AgentRegistry registry) {
        this.properties = properties;
        this.tls = tls;
        this.service = service;
        this.authenticator = authenticator;
        this.registry = registry;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Server built = NettyServerBuilder
                .forAddress(new InetSocketAddress(properties.bindAddress(), properties.port()))
                .sslContext(tls.serverSslContext())
                .keepAliveTime(properties.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(properties.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(properties.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxConnectionAge(properties.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(properties.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
                .maxInboundMessageSize((int) properties.maxInboundMessageSize().toBytes())
                // Channel streams of known agents skip the call executor; see AgentAuthenticator.getExecutor.
                // The stream's method lookup, which runs before a call executor is chosen, runs on
                // the event loop as well (it only looks the method up and asks getExecutor): with
                // the default executor every new stream (a preview request's spare) crossed to a
                // pool thread and back. Every call but a known agent's channel gets the pool.
                .executor(MoreExecutors.directExecutor())
                .callExecutor(authenticator)
                .addService(ServerInterceptors.intercept(ChannelFrameMarshaller.aliasingChannel(service.bindService()),
                        authenticator))
                // Unauthenticated on purpose: load balancers probe it.
                .addService(health.getHealthService())
                .build();
        try {
            built.start();
        } catch (IOException e) {
            throw new UncheckedIOException("tunnel gateway cannot listen on " + properties.bindAddress() + ":"
                    + properties.port() + ": " + e.getMessage(), e);
        }
        server = built;
        health.setStatus("", ServingStatus.SERVING);
        log.info("tunnel gateway listening on {}:{} (TLS, CA fingerprint {})", properties.bindAddress(), port(),
                tls.caFingerprint());
    }

    @Override
    public synchronized void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        health.enterTerminalState();
        // Control streams never end by themselves: close them so each records its disconnect.
        registry.closeAll(Status.UNAVAILABLE.withDescription("gateway shutting down"));
        running.shutdown();
        try {
            if (!running.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                running.shutdownNow().awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        log.info("tunnel gateway stopped");
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        Server running = server;
        if (running == null) {
            throw new IllegalStateException("tunnel gateway is not running");
        }
        return running.getPort();
    }
}
