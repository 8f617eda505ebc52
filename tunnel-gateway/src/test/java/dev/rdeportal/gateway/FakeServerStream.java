package dev.rdeportal.gateway;

import dev.rdeportal.proto.v1.GatewayMessage;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/** A control stream transport whose readiness the test sets, recording what was written. */
final class FakeServerStream extends ServerCallStreamObserver<GatewayMessage> {
    final List<GatewayMessage> sent = new ArrayList<>();
    volatile boolean ready = true;
    Runnable onReady = () -> { };
    Throwable error;

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        onReady = handler;
    }

    @Override
    public void onNext(GatewayMessage value) {
        sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
    }

    @Override
    public void setCompression(String compression) {
    }

    @Override
    public void disableAutoInboundFlowControl() {
    }

    @Override
    public void request(int count) {
    }

    @Override
    public void setMessageCompression(boolean enable) {
    }
}
