package dev.rdeportal.gateway.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.rdeportal.gateway.terminal.OutputBatches.Batch;
import dev.rdeportal.proto.v1.ChannelClose;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelReady;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;

class OutputBatchesTest {

    private final Sinks.Many<ChannelFrame> agent = Sinks.many().unicast().onBackpressureBuffer();
    private final Relay relay = new Relay();

    @Test
    void aFrameThatFindsTheSocketIdleLeavesAtOnceAlone() {
        OutputBatches.of(agent.asFlux(), 1000).subscribe(relay);
        relay.request(1);

        agent.tryEmitNext(data("x"));

        assertThat(relay.batches).hasSize(1);
        assertThat(relay.batches.get(0).data().toStringUtf8()).isEqualTo("x");
        assertThat(relay.batches.get(0).cost()).isEqualTo(256);
    }

    @Test
    void framesThatArriveDuringAWriteLeaveTogetherInTheNext() {
        OutputBatches.of(agent.asFlux(), 1000).subscribe(relay);
        relay.request(1);
        agent.tryEmitNext(data("a"));
        // The socket is busy with "a" meanwhile.
        agent.tryEmitNext(data("b".repeat(300)));
        agent.tryEmitNext(data("c"));

        relay.request(1);

        assertThat(relay.batches).hasSize(2);
        Batch second = relay.batches.get(1);
        assertThat(second.data().toStringUtf8()).isEqualTo("b".repeat(300) + "c");
        assertThat(second.frames()).isEqualTo(2);
        // What the agent charged: each frame's size, at least 256.
        assertThat(second.cost()).isEqualTo(300 + 256);
    }

    @Test
    void aBatchStopsBeforeTheFrameThatWouldMakeItLargerThanTheLimit() {
        OutputBatches.of(agent.asFlux(), 1000).subscribe(relay);
        agent.tryEmitNext(data("a".repeat(600)));
        agent.tryEmitNext(data("b".repeat(400)));
        agent.tryEmitNext(data("c"));

        relay.request(2);

        assertThat(relay.batches).extracting(b -> b.data().size()).containsExactly(1000, 1);
    }

    @Test
    void controlFramesAreNotJoinedAndKeepTheirPlace() {
        OutputBatches.of(agent.asFlux(), 1000).subscribe(relay);
        agent.tryEmitNext(ChannelFrame.newBuilder().setReady(ChannelReady.newBuilder().setSessionId("ts-1")).build());
        agent.tryEmitNext(data("a"));
        agent.tryEmitNext(data("b"));
        agent.tryEmitNext(ChannelFrame.newBuilder().setClose(ChannelClose.newBuilder().setReason("bye")).build());
        agent.tryEmitComplete();

        relay.request(10);

        assertThat(relay.batches).extracting(b -> b.control() == null ? b.data().toStringUtf8()
                : b.control().getBodyCase().name()).containsExactly("READY", "ab", "CLOSE");
        assertThat(relay.completed).isTrue();
    }

    @Test
    void nothingIsTakenFromTheAgentBeyondTheBatchesRequestedAndThePrefetch() {
        OutputBatches.of(agent.asFlux(), 1000).subscribe(relay);
        for (int i = 0; i < OutputBatches.PREFETCH + 10; i++) {
            agent.tryEmitNext(data("x"));
        }

        // The rest waits in the channel's own bounded queue, where an agent over its credit is caught.
        assertThat(agent.scan(reactor.core.Scannable.Attr.BUFFERED)).isEqualTo(10);
        relay.request(1);
        assertThat(relay.batches.get(0).frames()).isEqualTo(OutputBatches.PREFETCH);
        assertThat(agent.scan(reactor.core.Scannable.Attr.BUFFERED)).isZero();
    }

    private static ChannelFrame data(String text) {
        return ChannelFrame.newBuilder().setData(ByteString.copyFromUtf8(text)).build();
    }

    /** The relay's side: asks for batches one write at a time, as {@code concatMap(…, 0)} does. */
    private static final class Relay extends BaseSubscriber<Batch> {
        final List<Batch> batches = new ArrayList<>();
        boolean completed;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // Nothing until a test asks.
        }

        @Override
        protected void hookOnNext(Batch batch) {
            batches.add(batch);
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }
    }
}
