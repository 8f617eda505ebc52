package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.proto.JoinToken;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real transport: Netty, TLS, loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsTunnelTest {

    @TempDir
    Path dataDir;

    private final FakeGateway gateway = new FakeGateway();
    private Server server;
    private TunnelClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.shutdownNow();
            client.awaitTermination(Duration.ofSeconds(5));
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private int startGateway(TestCertificates.Issued ca, TestCertificates.Issued serverCert) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.configure(
                        // The CA travels in the chain: that is what first-contact pinning looks for.
                        SslContextBuilder.forServer(serverCert.key(), serverCert.certificate(), ca.certificate()),
                        SslProvider.JDK).build())
                .addService(ServerInterceptors.intercept(gateway, gateway))
                .build()
                .start();
        return server.getPort();
    }

    private CompletableFuture<ExitStatus> startAgent(ChannelFactory channels, JoinToken token) throws Exception {
        client = new TunnelClient(TunnelConfig.of("localhost:" + server.getPort(), token, "host-1", "test"), channels,
                new CredentialStore(dataDir), new FakeRuntime(),
                OperationJournal.open(dataDir.resolve("operations"), Clock.systemUTC(), OperationJournal.RETENTION),
                ChannelHandler.refusingAll(), ReconnectBackoff.standard(), d -> { }, Clock.systemUTC(),
                TunnelClient.workerPool(), TunnelClient.heartbeatScheduler());
        return CompletableFuture.supplyAsync(client::run);
    }

    @Test
    void firstContactPinsTheCaFromTheTokenAndKeepsItAsCaPem() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("rde gateway CA");
        int port = startGateway(ca, TestCertificates.server(ca, new String[] {"localhost"}, new String[] {"127.0.0.1"}));
        JoinToken token = JoinToken.generate("c-1", PinnedCaTrustManager.sha256(ca.certificate()));

        CompletableFuture<ExitStatus> running = startAgent(TlsChannelFactory.pinningFingerprint("localhost", port,
                token.caFingerprint()), token);

        gateway.nextHello();
        assertThat(Files.readString(dataDir.resolve("ca.pem"), StandardCharsets.US_ASCII))
                .isEqualTo(TlsChannelFactory.pem(ca.certificate()));
        client.shutdown();
        assertThat(running.get(10, TimeUnit.SECONDS).code()).isEqualTo(ExitStatus.OK);

        // Restart: the stored CA is trusted from now on, without the token.
        gateway.hellos.clear();
        startAgent(TlsChannelFactory.trustingCaFile("localhost", port, dataDir.resolve("ca.pem")), null);
        assertThat(gateway.nextHello().getAgentId()).isEqualTo(FakeGateway.AGENT_ID);
        assertThat(gateway.joins).hasSize(1);
    }

    @Test
    void aGatewayCertificateFromAnotherCaEndsTheAgentWithACertificateReason() throws Exception {
        TestCertificates.Issued pinned = TestCertificates.ca("rde gateway CA");
        TestCertificates.Issued impostor = TestCertificates.ca("impostor CA");
        int port = startGateway(impostor, TestCertificates.server(impostor, new String[] {"localhost"}, new String[] {"127.0.0.1"}));
        JoinToken token = JoinToken.generate("c-1", PinnedCaTrustManager.sha256(pinned.certificate()));

        ExitStatus status = startAgent(TlsChannelFactory.pinningFingerprint("localhost", port, token.caFingerprint()), token)
                .get(15, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(ExitStatus.CERTIFICATE);
        assertThat(status.reason()).contains("certificate").doesNotContain("\n");
        assertThat(gateway.joins).isEmpty();
        assertThat(dataDir.resolve("credential.json")).doesNotExist();
    }

    /**
     * The tests above ran on the engine the agent really uses: BoringSSL, bundled with
     * grpc-netty-shaded for the platforms CI and agents run on, not the JDK's fallback.
     */
    @Test
    void theAgentUsesTheBundledBoringSslEngine() throws Exception {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsChannelFactory.provider()).isEqualTo(SslProvider.OPENSSL);
        TestCertificates.Issued ca = TestCertificates.ca("rde gateway CA");
        Path caFile = dataDir.resolve("gateway-ca.pem");
        Files.writeString(caFile, TlsChannelFactory.pem(ca.certificate()), StandardCharsets.US_ASCII);
        int port = startGateway(ca, TestCertificates.server(ca, new String[] {"localhost"}, new String[0]));
        io.grpc.ManagedChannel channel = TlsChannelFactory.trustingCaFile("localhost", port, caFile).open();
        try {
            channel.getState(true);
            // The handshake with the CA file's trust succeeds on this engine too.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (channel.getState(false) != io.grpc.ConnectivityState.READY && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(channel.getState(false)).isEqualTo(io.grpc.ConnectivityState.READY);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void hostnameVerificationStaysOnWithAPinnedCa() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("rde gateway CA");
        // Valid chain, but issued for another name than the one the agent dials.
        int port = startGateway(ca, TestCertificates.server(ca, new String[] {"gateway.example"}, new String[0]));
        JoinToken token = JoinToken.generate("c-1", PinnedCaTrustManager.sha256(ca.certificate()));

        ExitStatus status = startAgent(TlsChannelFactory.pinningFingerprint("localhost", port, token.caFingerprint()), token)
                .get(15, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(ExitStatus.CERTIFICATE);
        assertThat(gateway.joins).isEmpty();
    }
}
