package dev.rdeportal.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameArraysTest {

    @Test
    void smallAndOversizedMessagesGetArraysOfTheirOwnSize() {
        assertThat(FrameArrays.take(40)).hasSize(40);
        assertThat(FrameArrays.take(FrameArrays.SMALLEST - 1)).hasSize(FrameArrays.SMALLEST - 1);
        assertThat(FrameArrays.take(FrameArrays.SIZE + 1)).hasSize(FrameArrays.SIZE + 1);
        assertThat(FrameArrays.take(FrameArrays.SMALLEST)).hasSize(FrameArrays.SIZE);
    }

    @Test
    void aFramesArrayComesBackOnlyWhenItsBufferIsReleased() {
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
        assertThat(FrameArrays.pooled()).isEqualTo(Math.min(before + 1, FrameArrays.POOLED));
        assertThat(FrameArrays.take(65_536)).isSameAs(array);
    }

    @Test
    void dataNotInOneArrayIsWrappedAndNeverPooled() {
        ByteString rope = ByteString.copyFromUtf8("a".repeat(100)).concat(ByteString.copyFromUtf8("b".repeat(100)));
        int before = FrameArrays.pooled();
        ByteBuf buffer = FrameArrays.toByteBuf(rope);
        byte[] read = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), read);
        assertThat(new String(read, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a".repeat(100) + "b".repeat(100));
        buffer.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before);
        // An array of another size (a small frame's) is not taken in either.
        ByteBuf small = FrameArrays.toByteBuf(UnsafeByteOperations.unsafeWrap(new byte[100]));
        small.release();
        assertThat(FrameArrays.pooled()).isEqualTo(before);
    }
}
