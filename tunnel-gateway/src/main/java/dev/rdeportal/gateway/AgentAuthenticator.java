package dev.rdeportal.gateway;

import com.google.common.util.concurrent.MoreExecutors;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits every call but {@code Join} only with a valid agent credential in the metadata
 * ({@code rde-agent-id}, {@code rde-agent-secret}), and puts the {@link AgentPrincipal} in the call's
 * {@link Context}. All refusals read the same ("agent credential refused"), so a caller learns
 * nothing about which part was wrong.
 *
 * <p>The lookup blocks the call-executor thread for at most the configured call timeout; it
 * happens once per stream, and mostly hits the cache.
 *
 * <p>It also picks each call's executor ({@link #getExecutor}). A {@code Channel} stream whose
 * credential is already known good runs all its callbacks (this interceptor, the service method,
 * every message, ready and cancel) on the transport's event loop, with no hand-off to the call
 * executor: a keystroke's echo then crosses one thread fewer. Nothing on that path blocks (see
 * {@code AgentChannel}, whose callbacks, and those of the terminal and preview relays it feeds,
 * only queue, count credit and hand writes to Netty), and the interceptor itself then only hits
 * the cache. Every other call, and a channel whose credential must be looked up, keeps the
 * default executor, so a lookup or a control-stream command never runs on an event loop.
 */
final class AgentAuthenticator implements ServerInterceptor, ServerCallExecutorSupplier {

    private static final Logger log = LoggerFactory.getLogger(AgentAuthenticator.class);

    static final Metadata.Key<String> AGENT_ID =
            Metadata.Key.of(ProtocolVersions.AGENT_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AGENT_SECRET =
            Metadata.Key.of(ProtocolVersions.AGENT_SECRET_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private static final String JOIN = AgentTunnelGrpc.getJoinMethod().getFullMethodName();
    private static final String CHANNEL = AgentTunnelGrpc.getChannelMethod().getFullMethodName();

    /**
     * Where calls that may block run (control streams, credential lookups, health checks): cached
     * daemon threads, as gRPC's default executor was; idle threads end after a minute.
     */
    static final Executor BLOCKING = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "tunnel-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final AgentCredentials credentials;

    AgentAuthenticator(AgentCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        String remoteHost = remoteHost(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        Context context = Context.current().withValue(AgentPrincipal.REMOTE_HOST, remoteHost);
        if (JOIN.equals(call.getMethodDescriptor().getFullMethodName())) {
            return Contexts.interceptCall(context, call, headers, next);
        }
        String agentId = headers.get(AGENT_ID);
        String secret = headers.get(AGENT_SECRET);
        if (agentId == null || agentId.isBlank() || secret == null || secret.isBlank()) {
            log.warn("call {} from {} without an agent credential", call.getMethodDescriptor().getBareMethodName(),
                    remoteHost);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("agent credential refused"));
        }
        Optional<String> clusterId;
        try {
            clusterId = credentials.verify(agentId, secret);
        } catch (AgentCredentials.CredentialCheckUnavailable e) {
            log.error("cannot check the credential of agent {} from {}", agentId, remoteHost, e);
            return refuse(call, Status.UNAVAILABLE.withDescription("agent credential check unavailable; retry"));
        }
        if (clusterId.isEmpty()) {
            log.warn("credential of agent {} from {} refused", agentId, remoteHost);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("agent credential refused"));
        }
        AgentPrincipal principal = new AgentPrincipal(agentId, clusterId.get(), remoteHost);
        return Contexts.interceptCall(context.withValue(AgentPrincipal.KEY, principal), call, headers, next);
    }

    /**
     * The direct executor for a channel stream whose credential is remembered as good; a pool
     * thread ({@link #BLOCKING}) for everything else, since the server's own executor is the event
     * loop (see TunnelServer). Runs on the event loop: only a cache lookup.
     * Should the remembered credential expire between this answer and the interceptor (a window of
     * microseconds in a TTL of minutes), that one lookup would run on the event loop, bounded by
     * the call timeout.
     */
    @Override
    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
        if (!CHANNEL.equals(call.getMethodDescriptor().getFullMethodName())) {
            return BLOCKING;
        }
        String agentId = headers.get(AGENT_ID);
        String secret = headers.get(AGENT_SECRET);
        if (agentId == null || agentId.isBlank() || secret == null || secret.isBlank()
                || !credentials.knownGood(agentId, secret)) {
            return BLOCKING;
        }
        return MoreExecutors.directExecutor();
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    static String remoteHost(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? "unknown" : address.toString();
    }
}
