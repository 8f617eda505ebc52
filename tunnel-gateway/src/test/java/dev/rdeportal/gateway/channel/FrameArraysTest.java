package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameArraysTest {

    @Test
    void smallAndOversizedMessagesGetArraysOfTheirOwnSize() {
        while (FrameArrays.pooled() > 0) {
            FrameArrays.take(FrameArrays.SIZE);
        }
        assertThat(FrameArrays.take(40)).hasSize(40);
        assertThat(FrameArrays.take(FrameArrays.SMALLEST - 1)).hasSize(FrameArrays.SMALLEST - 1);
        assertThat(FrameArrays.take(FrameArrays.SIZE + 1)).hasSize(FrameArrays.SIZE + 1);
        // Nothing pooled yet: exactly the size asked for.
        assertThat(FrameArrays.take(FrameArrays.SMALLEST)).hasSize(FrameArrays.SMALLEST);
    }

    @Test
    void aPooledArrayServesAnyMessageItHoldsAndATooSmallOneIsDropped() {
        while (FrameArrays.pooled() > 0) {
            FrameArrays.take(FrameArrays.SIZE);
        }
        byte[] small = new byte[FrameArrays.SMALLEST];
        FrameArrays.give(small);
        assertThat(FrameArrays.take(FrameArrays.SMALLEST + 1)).isNotSameAs(small).hasSize(FrameArrays.SMALLEST + 1);
        assertThat(FrameArrays.pooled()).isZero();
        byte[] large = new byte[FrameArrays.SIZE];
        FrameArrays.give(large);
        assertThat(FrameArrays.take(FrameArrays.SMALLEST)).isSameAs(large);
        FrameArrays.give(new byte[FrameArrays.SIZE + 1]);
        FrameArrays.give(new byte[100]);
        assertThat(FrameArrays.pooled()).isZero();
    }

    @Test
    void aFramesArrayComesBackOnlyWhenItsBufferIsReleased() {
        while (FrameArrays.pooled() > 0) {
            FrameArrays.take(FrameArrays.SIZE);
        }
        byte[] array = FrameArrays.take(65_536 + 6);
        Arrays.fill(array, (byte) 7);
        // A frame's data as the marshaller makes it: a view into the array, past the tags.
        ByteString data = UnsafeByteOperations.unsafeWrap(array, 6, 65_536);
        int before = FrameArrays.pooled();
        ByteBuf buffer = FrameArrays.toByteBuf(data);
        assertThat(buffer.readableBytes()).isEqualTo(65_536);
        assertThat(buffer.hasArray() && buffer.array() == array).isTrue(); // no copy
        assertThat(FrameArrays.pooled()).isEqualTo(before);
        buffer.retain();
        buffer.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before); // still referenced
        buffer.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before + 1);
        assertThat(FrameArrays.take(65_536)).isSameAs(array);
    }

    @Test
    void dataNotInOneArrayIsWrappedAndNeverPooled() {
        ByteString rope = ByteString.copyFromUtf8("a".repeat(100)).concat(ByteString.copyFromUtf8("b".repeat(100)));
        int before = FrameArrays.pooled();
        ByteBuf buffer = FrameArrays.toByteBuf(rope);
        byte[] read = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), read);
        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("a".repeat(100) + "b".repeat(100));
        buffer.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before);
        // A small frame's array is not taken in either.
        ByteBuf small = FrameArrays.toByteBuf(UnsafeByteOperations.unsafeWrap(new byte[100]));
        small.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before);
    }
}
