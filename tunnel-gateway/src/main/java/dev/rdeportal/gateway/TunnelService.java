package dev.rdeportal.gateway;

import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.JoinRequest;
import dev.rdeportal.proto.v1.JoinResponse;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;

/**
 * The {@code AgentTunnel} gRPC service. Join needs no credential; Control and Channel run behind
 * {@link AgentAuthenticator}, which puts the {@link AgentPrincipal} in the call context.
 *
 * <p>Owns the heartbeat scheduler in its {@link ControlSession.Dependencies} and shuts it down on
 * {@link #close()}.
 */
final class TunnelService extends AgentTunnelGrpc.AgentTunnelImplBase implements AutoCloseable {

    private final AgentJoiner joiner;
    private final ControlSession.Dependencies sessions;

    TunnelService(AgentJoiner joiner, ControlSession.Dependencies sessions) {
        this.joiner = joiner;
        this.sessions = sessions;
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
        joiner.join(request, AgentPrincipal.REMOTE_HOST.get()).whenComplete((answer, error) -> {
            if (error != null) {
                response.onError(asStatus(error));
            } else {
                response.onNext(answer);
                response.onCompleted();
            }
        });
    }

    @Override
    public StreamObserver<AgentMessage> control(StreamObserver<GatewayMessage> response) {
        ServerCallStreamObserver<GatewayMessage> out = (ServerCallStreamObserver<GatewayMessage>) response;
        ControlSession session = new ControlSession(sessions, AgentPrincipal.current(), out);
        session.start(out);
        return session;
    }

    @Override
    public StreamObserver<ChannelFrame> channel(StreamObserver<ChannelFrame> response) {
        return sessions.channels().accept(AgentPrincipal.current().agentId(),
                (ServerCallStreamObserver<ChannelFrame>) response);
    }

    @Override
    public void close() {
        sessions.scheduler().shutdownNow();
    }

    private static Throwable asStatus(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StatusException) {
            return cause;
        }
        return Status.INTERNAL.withDescription("join failed").asException();
    }
}
