package dev.rdeportal.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the tunnel gateway ({@code rde.gateway.*}). Every field may be left out: the compact
 * constructor fills in the defaults and refuses values the server could not run with, so a bad
 * setting fails the start-up with its name rather than a late, obscure gRPC error.
 *
 * @param port                  TLS port agents dial; {@code 0} picks a free port (tests)
 * @param bindAddress           address to listen on
 * @param tls                   certificate material: configured PEM files, or generated ones
 * @param heartbeatInterval     how often agents send a heartbeat; three missed ones close the stream
 * @param keepAliveTime         HTTP/2 PING interval from the gateway
 * @param keepAliveTimeout      how long a PING may stay unanswered before the connection is dropped
 * @param permitKeepAliveTime   the most frequent PING an agent may send without being cut off
 * @param maxConnectionAge      connections are recycled after this long, so load spreads over
 *                              replicas and certificates rotate
 * @param maxConnectionAgeGrace how long calls may finish on a connection being recycled
 * @param maxInboundMessageSize largest message an agent may send
 * @param credentialCacheTtl    how long a verified agent credential is trusted without a new query
 * @param controlQueueCapacity  messages queued for a slow agent before its stream is closed
 * @param callTimeout           bound on each command or query the gateway waits for
 * @param channelOpenTimeout    how long a terminal waits for the agent to dial its channel stream
 */
@ConfigurationProperties("rde.gateway")
public record GatewayProperties(
        Integer port,
        String bindAddress,
        Tls tls,
        Duration heartbeatInterval,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        Duration permitKeepAliveTime,
        Duration maxConnectionAge,
        Duration maxConnectionAgeGrace,
        DataSize maxInboundMessageSize,
        Duration credentialCacheTtl,
        Integer controlQueueCapacity,
        Duration callTimeout,
        Duration channelOpenTimeout) {

    public GatewayProperties {
        port = port == null ? 9443 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rde.gateway.port must be between 0 and 65535, was " + port);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress.trim();
        tls = tls == null ? new Tls(null, null, null, null) : tls;
        heartbeatInterval = positive("heartbeat-interval", heartbeatInterval, Duration.ofSeconds(10));
        // The Welcome message carries whole seconds.
        if (heartbeatInterval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("rde.gateway.heartbeat-interval must be whole seconds, was "
                    + heartbeatInterval);
        }
        keepAliveTime = positive("keep-alive-time", keepAliveTime, Duration.ofSeconds(30));
        keepAliveTimeout = positive("keep-alive-timeout", keepAliveTimeout, Duration.ofSeconds(10));
        permitKeepAliveTime = positive("permit-keep-alive-time", permitKeepAliveTime, Duration.ofSeconds(10));
        maxConnectionAge = positive("max-connection-age", maxConnectionAge, Duration.ofHours(24));
        maxConnectionAgeGrace = positive("max-connection-age-grace", maxConnectionAgeGrace, Duration.ofHours(1));
        maxInboundMessageSize = maxInboundMessageSize == null ? DataSize.ofMegabytes(4) : maxInboundMessageSize;
        if (maxInboundMessageSize.toBytes() < 1024 || maxInboundMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rde.gateway.max-inbound-message-size must be between 1KB and 2GB, was "
                    + maxInboundMessageSize);
        }
        credentialCacheTtl = positive("credential-cache-ttl", credentialCacheTtl, Duration.ofSeconds(60));
        controlQueueCapacity = controlQueueCapacity == null ? 1000 : controlQueueCapacity;
        if (controlQueueCapacity < 1) {
            throw new IllegalArgumentException("rde.gateway.control-queue-capacity must be positive, was "
                    + controlQueueCapacity);
        }
        callTimeout = positive("call-timeout", callTimeout, Duration.ofSeconds(10));
        channelOpenTimeout = positive("channel-open-timeout", channelOpenTimeout, Duration.ofSeconds(10));
    }

    /** Defaults for everything: port 9443, a generated CA under {@code ./data/tls}. */
    public static GatewayProperties defaults() {
        return new GatewayProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Certificate material ({@code rde.gateway.tls.*}). With {@code certificate} and
     * {@code privateKey} set, those PEM files are used as they are (production); otherwise a CA and
     * a server certificate are generated under {@code dataDir} on first start and reused after.
     *
     * @param certificate PEM chain: the server certificate first, its CA last
     * @param privateKey  PEM private key of the server certificate (PKCS#8 or traditional, unencrypted)
     * @param dataDir     where generated material lives
     * @param hostnames   names and addresses the generated server certificate is valid for
     */
    public record Tls(Path certificate, Path privateKey, Path dataDir, List<String> hostnames) {

        public Tls {
            if ((certificate == null) != (privateKey == null)) {
                throw new IllegalArgumentException(
                        "rde.gateway.tls.certificate and rde.gateway.tls.private-key must be set together");
            }
            dataDir = dataDir == null ? Path.of("data", "tls") : dataDir;
            hostnames = hostnames == null || hostnames.isEmpty()
                    ? List.of("localhost", "127.0.0.1", "::1")
                    : hostnames.stream().map(String::trim).filter(h -> !h.isEmpty()).distinct().toList();
            if (hostnames.isEmpty()) {
                throw new IllegalArgumentException("rde.gateway.tls.hostnames must name at least one host");
            }
        }

        boolean configured() {
            return certificate != null;
        }
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("rde.gateway." + name + " must be positive, was " + value);
        }
        return value;
    }
}
