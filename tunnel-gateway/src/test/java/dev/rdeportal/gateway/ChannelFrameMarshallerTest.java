package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.End;
import dev.rdeportal.proto.v1.HttpHeader;
import dev.rdeportal.proto.v1.HttpResponseHead;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelFrameMarshallerTest {

    private final ChannelFrameMarshaller marshaller =
            new ChannelFrameMarshaller(AgentTunnelGrpc.getChannelMethod().getRequestMarshaller());

    /** What gRPC's deframer hands a marshaller: a stream that knows its length. */
    private static final class Known extends ByteArrayInputStream implements KnownLength {
        Known(byte[] bytes) {
            super(bytes);
        }
    }

    private ChannelFrame roundTrip(ChannelFrame frame, boolean knownLength) throws Exception {
        byte[] wire;
        try (InputStream out = marshaller.stream(frame)) {
            wire = out.readAllBytes();
        }
        return marshaller.parse(knownLength ? new Known(wire) : new ByteArrayInputStream(wire));
    }

    @Test
    void everyKindOfFrameReadsBackEqual() throws Exception {
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        ChannelFrame[] frames = {
                ChannelFrame.newBuilder().setData(ByteString.copyFrom(data)).build(),
                ChannelFrame.newBuilder().setResponse(HttpResponseHead.newBuilder().setStatus(200)
                        .addHeaders(HttpHeader.newBuilder().setName("Content-Type").setValue("text/plain ü"))).build(),
                ChannelFrame.newBuilder().setEnd(End.getDefaultInstance()).build(),
                ChannelFrame.getDefaultInstance(),
        };
        for (ChannelFrame frame : frames) {
            assertThat(roundTrip(frame, true)).isEqualTo(frame);
            assertThat(roundTrip(frame, false)).isEqualTo(frame);
        }
    }

    @Test
    void dataIsAViewOfItsOwnArrayNotOfAReusedBuffer() throws Exception {
        byte[] a = new byte[1000];
        Arrays.fill(a, (byte) 'a');
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) 'b');
        ChannelFrame first = roundTrip(ChannelFrame.newBuilder().setData(ByteString.copyFrom(a)).build(), true);
        ChannelFrame second = roundTrip(ChannelFrame.newBuilder().setData(ByteString.copyFrom(b)).build(), true);
        // Parsing the second frame must not change the first one's bytes.
        assertThat(first.getData().toByteArray()).isEqualTo(a);
        assertThat(second.getData().toByteArray()).isEqualTo(b);
    }

    @Test
    void garbageIsRefusedAsGrpcDoes() {
        assertThatThrownBy(() -> marshaller.parse(new Known(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("Invalid protobuf byte sequence");
    }

    @Test
    void onlyTheChannelMethodReadsThroughIt() {
        ServerServiceDefinition bound = ChannelFrameMarshaller.aliasingChannel(new AgentTunnelGrpc.AgentTunnelImplBase() {
        }.bindService());
        for (ServerMethodDefinition<?, ?> method : bound.getMethods()) {
            MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
            boolean channel = descriptor.getFullMethodName().equals(AgentTunnelGrpc.getChannelMethod().getFullMethodName());
            assertThat(descriptor.getRequestMarshaller() instanceof ChannelFrameMarshaller).isEqualTo(channel);
            assertThat(bound.getServiceDescriptor().getMethods()).contains(descriptor);
        }
        assertThat(bound.getMethods()).hasSize(AgentTunnelGrpc.getServiceDescriptor().getMethods().size());
    }
}
