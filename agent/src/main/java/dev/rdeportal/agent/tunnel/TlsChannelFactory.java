package dev.rdeportal.agent.tunnel;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * TLS channels to the gateway, trusting either a CA file or, on first contact, the CA pinned by
 * the join token's fingerprint. Hostname verification stays on either way (gRPC enables HTTPS
 * endpoint identification on the engine).
 *
 * <p>The TLS engine is the BoringSSL build that grpc-netty-shaded bundles (netty-tcnative) when it
 * loads on this platform, as the gateway's is: the JDK's engine cost the agent about as much CPU
 * per byte as everything else on the preview path together. The engine only does the record layer
 * and the handshake; certificate verification still goes through the same JDK trust managers
 * either way (Netty hands the peer's chain and the engine, whose SSL parameters carry the HTTPS
 * endpoint identification, to {@code checkServerTrusted}), so pinning and hostname verification
 * behave the same. Where the native library cannot load, the JDK engine is used.
 */
public final class TlsChannelFactory implements ChannelFactory {

    private final String host;
    private final int port;
    private final SslContext sslContext;
    private final PinnedCaTrustManager pinning;
    private final String caFilePem;

    /** BoringSSL when it loads here, else the JDK's engine. */
    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private TlsChannelFactory(String host, int port, SslContext sslContext, PinnedCaTrustManager pinning, String caFilePem) {
        this.host = host;
        this.port = port;
        this.sslContext = sslContext;
        this.pinning = pinning;
        this.caFilePem = caFilePem;
    }

    /** Trusts the CA certificate(s) in a PEM file. */
    public static TlsChannelFactory trustingCaFile(String host, int port, Path caFile) throws IOException {
        String pem = Files.readString(caFile, StandardCharsets.US_ASCII);
        try {
            SslContext context = GrpcSslContexts.configure(SslContextBuilder.forClient(), provider())
                    .trustManager(caFile.toFile())
                    .build();
            return new TlsChannelFactory(host, port, context, null, pem);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("load gateway CA certificate " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** First contact: trusts the CA whose SHA-256 fingerprint the join token carries. */
    public static TlsChannelFactory pinningFingerprint(String host, int port, String caFingerprint) throws IOException {
        PinnedCaTrustManager pinning = new PinnedCaTrustManager(caFingerprint);
        try {
            SslContext context = GrpcSslContexts.configure(SslContextBuilder.forClient(), provider())
                    .trustManager(pinning)
                    .build();
            return new TlsChannelFactory(host, port, context, pinning, null);
        } catch (SSLException e) {
            throw new IOException("set up TLS for gateway " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ManagedChannel open() {
        return NettyChannelBuilder.forAddress(host, port)
                .sslContext(sslContext)
                // Detects a silently dead connection (NAT, load balancer timeouts) within ~40 s.
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
    }

    @Override
    public Optional<String> caToPersist() {
        if (pinning != null) {
            return Optional.ofNullable(pinning.pinnedCa()).map(TlsChannelFactory::pem);
        }
        return Optional.ofNullable(caFilePem);
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("encode gateway CA certificate", e);
        }
    }
}
