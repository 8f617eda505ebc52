package dev.rdeportal.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RingBufferTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void keepsEverythingUntilFull() {
        RingBuffer ring = new RingBuffer(8);
        ring.write(bytes("abc"), 0, 3);
        ring.write(bytes("de"), 0, 2);
        assertThat(text(ring.snapshot())).isEqualTo("abcde");
    }

    @Test
    void keepsTheNewestBytesOnceItWraps() {
        RingBuffer ring = new RingBuffer(8);
        ring.write(bytes("abcdef"), 0, 6);
        ring.write(bytes("ghijk"), 0, 5);
        assertThat(text(ring.snapshot())).isEqualTo("defghijk");
        ring.write(bytes("xy"), 0, 2);
        assertThat(text(ring.snapshot())).isEqualTo("fghijkxy");
    }

    @Test
    void aWriteLargerThanTheBufferKeepsItsTail() {
        RingBuffer ring = new RingBuffer(4);
        ring.write(bytes("ab"), 0, 2);
        ring.write(bytes("0123456789"), 2, 8);
        assertThat(text(ring.snapshot())).isEqualTo("6789");
    }

    @Test
    void exactlyFullIsNotEmpty() {
        RingBuffer ring = new RingBuffer(4);
        ring.write(bytes("abcd"), 0, 4);
        assertThat(text(ring.snapshot())).isEqualTo("abcd");
    }
}
