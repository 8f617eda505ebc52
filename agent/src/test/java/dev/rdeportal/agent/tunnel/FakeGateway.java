package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.AgentMessage;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.GatewayMessage;
import dev.rdeportal.proto.v1.Hello;
import dev.rdeportal.proto.v1.JoinRequest;
import dev.rdeportal.proto.v1.JoinResponse;
import dev.rdeportal.proto.v1.Welcome;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The gateway's side of the protocol, scripted by the test. */
final class FakeGateway extends AgentTunnelGrpc.AgentTunnelImplBase implements ServerInterceptor {

    static final String AGENT_ID = "agent-7";
    static final String AGENT_SECRET = "s3cr3t-agent-secret";

    final BlockingQueue<JoinRequest> joins = new LinkedBlockingQueue<>();
    final BlockingQueue<Hello> hellos = new LinkedBlockingQueue<>();
    final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Metadata> controlHeaders = new LinkedBlockingQueue<>();
    final BlockingQueue<String> streamEnds = new LinkedBlockingQueue<>();
    volatile Status joinFailure;
    volatile Status controlFailure;
    volatile int heartbeatSeconds = 30;
    private StreamObserver<GatewayMessage> current;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getFullMethodName().endsWith("/Control")) {
            controlHeaders.add(headers);
        }
        return next.startCall(call, headers);
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
        joins.add(request);
        if (joinFailure != null) {
            response.onError(joinFailure.asRuntimeException());
            return;
        }
        response.onNext(JoinResponse.newBuilder().setAgentId(AGENT_ID).setClusterId("c-1").setAgentSecret(AGENT_SECRET).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> control(StreamObserver<GatewayMessage> responses) {
        if (controlFailure != null) {
            responses.onError(controlFailure.asRuntimeException());
            return new StreamObserver<>() {
                @Override public void onNext(AgentMessage value) { }
                @Override public void onError(Throwable t) { }
                @Override public void onCompleted() { }
            };
        }
        synchronized (this) {
            current = responses;
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(AgentMessage message) {
                if (message.hasHello()) {
                    hellos.add(message.getHello());
                    send(GatewayMessage.newBuilder().setWelcome(Welcome.newBuilder()
                            .setVersion(ProtocolVersions.current())
                            .setHeartbeatIntervalSeconds(heartbeatSeconds)).build());
                } else {
                    received.add(message);
                }
            }

            @Override
            public void onError(Throwable t) {
                streamEnds.add("error");
            }

            @Override
            public void onCompleted() {
                streamEnds.add("completed by agent");
                synchronized (FakeGateway.this) {
                    responses.onCompleted();
                }
            }
        };
    }

    synchronized void send(GatewayMessage message) {
        current.onNext(message);
    }

    synchronized void breakStream() {
        current.onError(Status.UNAVAILABLE.withDescription("gateway restarting").asRuntimeException());
    }

    Hello nextHello() throws InterruptedException {
        Hello hello = hellos.poll(10, TimeUnit.SECONDS);
        if (hello == null) {
            throw new AssertionError("no Hello within 10 s");
        }
        return hello;
    }

    /** The next message of a kind, skipping heartbeats. */
    AgentMessage next(AgentMessage.BodyCase kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            AgentMessage message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && message.getBodyCase() == kind) {
                return message;
            }
        }
        throw new AssertionError("no " + kind + " within 10 s");
    }
}
