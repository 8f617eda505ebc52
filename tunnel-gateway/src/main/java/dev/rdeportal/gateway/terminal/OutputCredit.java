package dev.rdeportal.gateway.terminal;

import java.util.function.IntConsumer;

/**
 * When the relay gives a terminal's output credit back to the agent ({@code Ack}).
 *
 * <p>The agent may have one window (256 KiB) of output unacknowledged. Acknowledging only once
 * the client's socket has taken a message makes every window wait for a whole loop of thread
 * hand-offs: agent reader → agent event loop → gateway's gRPC event loop → WebSocket event loop →
 * socket write → back to the gRPC event loop → agent. On two busy cores that loop took longer
 * than a window lasts, so a flooding terminal ran at window / loop time whatever the CPU left
 * (bench/RESULTS.md, session 6).
 *
 * <p>So the relay keeps a bounded buffer of its own: output is acknowledged as it arrives, on
 * the gRPC thread, as long as what arrived and is not yet written to the client stays within
 * {@value #HOLD_BYTES} bytes beyond what is acknowledged; past that, only as the client's socket
 * takes it. What the gateway holds for one session is therefore at most {@code HOLD_BYTES} plus
 * the agent's window (plus a frame), and a client that reads slowly still stops its own
 * terminal's output, one window after the buffer is full, and nothing else.
 *
 * <p>Acknowledgements go in steps of at least {@code threshold}: a keystroke's echo costs 256
 * bytes of the window, so an echo costs one message on the agent's connection, not two.
 * Counts are in channel cost (what the agent charged: each frame's size, at least 256 bytes).
 * Called from the gRPC thread (arrivals) and the socket's thread (writes).
 */
final class OutputCredit {

    /** Output the relay holds for a session, beyond what the agent may have in flight anyway. */
    static final int HOLD_BYTES = 256 * 1024;

    private final IntConsumer acknowledge;
    private final int threshold;
    private final long hold;
    // Totals since the channel opened, in channel cost; guarded by this.
    private long received;
    private long written;
    private long acknowledged;

    OutputCredit(IntConsumer acknowledge, int threshold, long hold) {
        this.acknowledge = acknowledge;
        this.threshold = threshold;
        this.hold = hold;
    }

    /** A data frame of this cost arrived from the agent. */
    void received(int cost) {
        int due;
        synchronized (this) {
            received += cost;
            due = due();
        }
        send(due);
    }

    /** The client's socket took output of this cost. */
    void written(int cost) {
        int due;
        synchronized (this) {
            written += cost;
            due = due();
        }
        send(due);
    }

    /** What the relay holds now: arrived, not yet written. */
    synchronized long held() {
        return received - written;
    }

    private int due() {
        long upTo = Math.min(received, written + hold);
        long due = upTo - acknowledged;
        if (due < threshold) {
            return 0;
        }
        acknowledged = upTo;
        return (int) due;
    }

    private void send(int due) {
        if (due > 0) {
            acknowledge.accept(due);
        }
    }
}
