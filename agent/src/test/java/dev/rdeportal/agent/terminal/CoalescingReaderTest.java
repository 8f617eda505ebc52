package dev.rdeportal.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CoalescingReaderTest {

    private static final int FRAME = 16 * 1024;

    @Test
    void outputThatIsReadyFillsOneFrameFromSeveralReads() throws IOException {
        FakePty pty = new FakePty().output(4096, 'a').output(4096, 'b').output(4096, 'c').output(6000, 'd');
        CoalescingReader reader = new CoalescingReader(pty);
        byte[] frame = new byte[FRAME];

        int n = reader.gather(frame, reader.awaitSome(frame));

        assertThat(n).isEqualTo(FRAME);
        assertThat(frame[0]).isEqualTo((byte) 'a');
        assertThat(frame[3 * 4096]).isEqualTo((byte) 'd');
        assertThat(pty.reads).isEqualTo(4);
        // The rest of the last chunk starts the next frame.
        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(6000 - 4096);
        assertThat(frame[0]).isEqualTo((byte) 'd');
    }

    @Test
    void aLoneEchoIsReturnedWithoutWaitingForMore() throws IOException {
        // FakePty fails a read that would block, so gathering must not read once nothing is ready.
        FakePty pty = new FakePty().output(1, 'x');
        CoalescingReader reader = new CoalescingReader(pty);
        byte[] frame = new byte[FRAME];

        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(1);
        assertThat(frame[0]).isEqualTo((byte) 'x');
    }

    @Test
    void aStreamThatNeverSaysWhatIsReadyIsReadOnceAFrame() throws IOException {
        FakePty pty = new FakePty().output(100, 'a').output(100, 'b');
        pty.reportsAvailable = false;
        CoalescingReader reader = new CoalescingReader(pty);
        byte[] frame = new byte[FRAME];

        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(100);
        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(100);
        assertThat(frame[0]).isEqualTo((byte) 'b');
    }

    @Test
    void theEndMetWhileGatheringComesAfterTheBytesGatheredBeforeIt() throws IOException {
        FakePty pty = new FakePty().output(10, 'a').output(10, 'b').end();
        CoalescingReader reader = new CoalescingReader(pty);
        byte[] frame = new byte[FRAME];

        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(20);
        assertThat(reader.awaitSome(frame)).isEqualTo(-1);
    }

    @Test
    void aFailureMetWhileGatheringComesAfterTheBytesGatheredBeforeIt() throws IOException {
        FakePty pty = new FakePty().output(10, 'a').fail(new IOException("EIO"));
        CoalescingReader reader = new CoalescingReader(pty);
        byte[] frame = new byte[FRAME];

        assertThat(reader.gather(frame, reader.awaitSome(frame))).isEqualTo(10);
        assertThatThrownBy(() -> reader.awaitSome(frame)).isInstanceOf(IOException.class).hasMessage("EIO");
    }

    /**
     * Output in the chunks a PTY would return, one chunk (or its part) a read; {@code available}
     * is what the next read would return at once. A read with nothing ready would block: it fails.
     */
    private static final class FakePty extends InputStream {
        private final ArrayDeque<Object> chunks = new ArrayDeque<>();
        boolean reportsAvailable = true;
        int reads;

        FakePty output(int length, char c) {
            byte[] chunk = new byte[length];
            Arrays.fill(chunk, (byte) c);
            chunks.add(chunk);
            return this;
        }

        FakePty end() {
            chunks.add("end");
            return this;
        }

        FakePty fail(IOException e) {
            chunks.add(e);
            return this;
        }

        @Override
        public int available() {
            return reportsAvailable && !chunks.isEmpty() ? (chunks.peek() instanceof byte[] b ? b.length : 1) : 0;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            reads++;
            Object next = chunks.peek();
            if (next == null) {
                throw new AssertionError("this read would block");
            }
            if (next instanceof IOException e) {
                throw e;
            }
            if (next instanceof String) {
                return -1;
            }
            byte[] chunk = (byte[]) chunks.poll();
            int n = Math.min(length, chunk.length);
            System.arraycopy(chunk, 0, into, offset, n);
            if (n < chunk.length) {
                chunks.addFirst(Arrays.copyOfRange(chunk, n, chunk.length));
            }
            return n;
        }
    }
}
