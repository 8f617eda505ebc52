package dev.rdeportal.agent.terminal;

/**
 * The last {@code capacity} bytes a terminal displayed, replayed to a client that re-attaches.
 * Not thread-safe: its session guards it.
 */
final class RingBuffer {

    private final byte[] bytes;
    private int next;
    private boolean wrapped;

    RingBuffer(int capacity) {
        this.bytes = new byte[capacity];
    }

    void write(byte[] data, int offset, int length) {
        if (length >= bytes.length) {
            // Only the tail fits; older bytes would be overwritten anyway.
            System.arraycopy(data, offset + length - bytes.length, bytes, 0, bytes.length);
            next = 0;
            wrapped = true;
            return;
        }
        int first = Math.min(length, bytes.length - next);
        System.arraycopy(data, offset, bytes, next, first);
        System.arraycopy(data, offset + first, bytes, 0, length - first);
        if (next + length >= bytes.length) {
            wrapped = true;
        }
        next = (next + length) % bytes.length;
    }

    /** What the buffer holds, oldest byte first. */
    byte[] snapshot() {
        if (!wrapped) {
            return java.util.Arrays.copyOf(bytes, next);
        }
        byte[] copy = new byte[bytes.length];
        System.arraycopy(bytes, next, copy, 0, bytes.length - next);
        System.arraycopy(bytes, 0, copy, bytes.length - next, next);
        return copy;
    }
}
