package dev.rdeportal.agent.terminal;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.rdeportal.agent.tunnel.OutboundQueue;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.Ack;
import dev.rdeportal.proto.v1.AgentTunnelGrpc;
import dev.rdeportal.proto.v1.ChannelClose;
import dev.rdeportal.proto.v1.ChannelFrame;
import dev.rdeportal.proto.v1.ChannelOpen;
import dev.rdeportal.proto.v1.ChannelReady;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client attached to a terminal session: the agent's side of one {@code Channel} stream.
 *
 * <p>Flow control, both ways, bounded:
 * <ul>
 *   <li>out (PTY → gateway): the session's reader waits in {@link #awaitCredit} while more than
 *       the channel window is unacknowledged or {@value #MAX_QUEUED_FRAMES} frames wait for the
 *       transport; frames leave only while the stream is ready.</li>
 *   <li>in (gateway → PTY): frames are taken off the stream at once (so this stream never holds
 *       the HTTP/2 connection window that the agent's other streams share). A keystroke that the
 *       terminal takes without blocking ({@link TerminalSession#writeNow}) is written right there,
 *       on the transport's thread; anything else (what the terminal would not take at once, what
 *       arrives while earlier input still waits, resizes) goes to a queue that the gateway's
 *       credit bounds, and a writer thread moves it to the PTY, blocking if it must. Both
 *       acknowledge what they wrote. A process that does not read its input therefore stalls
 *       only its own client, and the transport's thread never waits for it.</li>
 * </ul>
 */
final class ChannelStream implements ClientResponseObserver<ChannelFrame, ChannelFrame> {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.terminal.channel");

    static final int MAX_QUEUED_FRAMES = 64;
    private static final int MAX_INPUT_FRAMES = 4096;
    private static final int ACK_THRESHOLD = 16 * 1024;
    private static final ChannelFrame END = ChannelFrame.getDefaultInstance();

    private final String channelId;
    private final TerminalSession session;
    private final Executor threads;
    private final int maxFrameBytes;
    private final int outboxCapacity;
    private final boolean serialisingTransport;
    private final Object credit = new Object();
    // Input for the writer thread, in order; guarded by itself, like writing and inputClosed.
    private final ArrayDeque<ChannelFrame> input = new ArrayDeque<>();
    private boolean writing; // a write to the terminal is under way, on either thread
    private boolean inputClosed;
    private volatile ClientCallStreamObserver<ChannelFrame> call;
    private volatile OutboundQueue<ChannelFrame> outbox;
    private volatile boolean ended;
    // The gateway has sent a frame, so its headers came first and gRPC keeps no copy of what this
    // stream sends for a retry (a call is committed once headers arrive): from then on a frame that
    // left at once no longer refers to the caller's array, see sendOwned.
    private volatile boolean answered;
    private long unacked; // guarded by credit
    private long queuedInputBytes; // guarded by credit
    private long pendingAck; // input written, not yet acknowledged; guarded by credit

    /**
     * @param maxFrameBytes the largest output frame the gateway takes: 16 KiB, or (1.5) what its
     *                      {@code OpenChannel.max_frame_bytes} offered, see {@link ProtocolVersions#terminalFrameBytes}
     * @param serialisingTransport see {@link TerminalSessions}: whether {@link #sendOwned} may give the array back
     */
    ChannelStream(String channelId, TerminalSession session, Executor threads, int bufferBytes, int maxFrameBytes,
                  boolean serialisingTransport) {
        this.serialisingTransport = serialisingTransport;
        this.channelId = channelId;
        this.session = session;
        this.threads = threads;
        this.maxFrameBytes = maxFrameBytes;
        // Live output (bounded by awaitCredit), the replay, and acknowledgements of input frames.
        this.outboxCapacity = MAX_QUEUED_FRAMES + bufferBytes / ProtocolVersions.CHANNEL_MAX_FRAME_BYTES + 1
                + MAX_INPUT_FRAMES + 16;
    }

    /** Dials the channel stream and names the channel; the writer thread starts. */
    void dial(Channel gateway) {
        // This stream's callbacks run on the transport's thread, not handed to an executor first:
        // a keystroke then reaches the writer thread with one thread hop fewer. They never block:
        // they queue input, count credit, and write to the outbound queue.
        AgentTunnelGrpc.newStub(gateway).withExecutor(MoreExecutors.directExecutor()).channel(this);
        outbox.started();
        offer(ChannelFrame.newBuilder().setOpen(ChannelOpen.newBuilder().setChannelId(channelId)).build());
        try {
            threads.execute(this::writeInput);
        } catch (RejectedExecutionException e) {
            abort(Status.UNAVAILABLE.withDescription("agent is shutting down"));
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ChannelFrame> stream) {
        call = stream;
        outbox = new OutboundQueue<>(stream, outboxCapacity);
        stream.disableAutoRequestWithInitial(1);
        stream.setOnReadyHandler(() -> {
            outbox.drain();
            synchronized (credit) {
                credit.notifyAll();
            }
        });
    }

    // ---- gateway -> PTY ------------------------------------------------------------------------

    @Override
    public void onNext(ChannelFrame frame) {
        answered = true;
        switch (frame.getBodyCase()) {
            case ACK -> {
                synchronized (credit) {
                    unacked = Math.max(0, unacked - frame.getAck().getBytes());
                    credit.notifyAll();
                }
            }
            case DATA -> {
                boolean overrun;
                synchronized (credit) {
                    queuedInputBytes += ProtocolVersions.channelCost(frame.getData().size());
                    overrun = queuedInputBytes > ProtocolVersions.CHANNEL_WINDOW_BYTES
                            + ProtocolVersions.CHANNEL_MAX_FRAME_BYTES;
                }
                if (overrun || queued() >= MAX_INPUT_FRAMES) {
                    abort(Status.RESOURCE_EXHAUSTED.withDescription("gateway sent beyond its credit"));
                    return;
                }
                writeOrQueue(frame);
            }
            case RESIZE -> {
                if (queued() >= MAX_INPUT_FRAMES) {
                    abort(Status.RESOURCE_EXHAUSTED.withDescription("gateway sent too many frames"));
                    return;
                }
                enqueue(frame);
            }
            default -> log.debug("channel {}: ignoring frame {}", channelId, frame.getBodyCase());
        }
        // Always ready for the next frame: the credit, not the transport, bounds what is queued.
        call.request(1);
    }

    private int queued() {
        synchronized (input) {
            return input.size();
        }
    }

    private void enqueue(ChannelFrame frame) {
        synchronized (input) {
            input.add(frame);
            input.notifyAll();
        }
    }

    /**
     * On the transport's thread: writes a data frame to the terminal at once when nothing is
     * queued before it and the terminal takes it without blocking; queues for the writer thread
     * whatever it does not take.
     */
    private void writeOrQueue(ChannelFrame frame) {
        synchronized (input) {
            if (inputClosed) {
                return;
            }
            if (writing || !input.isEmpty()) {
                input.add(frame);
                input.notifyAll();
                return;
            }
            writing = true; // keeps the writer thread off the terminal while this thread writes
        }
        ByteString data = frame.getData();
        int written = 0;
        boolean closed = false;
        try {
            byte[] bytes = data.toByteArray();
            written = session.writeNow(bytes, 0, bytes.length);
        } catch (IOException e) {
            log.info("channel {}: terminal input closed: {}", channelId, e.toString());
            closed = true;
        }
        synchronized (input) {
            writing = false;
            if (closed) {
                inputClosed = true;
            } else if (written < data.size()) {
                // -1 (this terminal cannot write without blocking) or a short write: the rest, first in line.
                input.addFirst(written <= 0 ? frame : ChannelFrame.newBuilder().setData(data.substring(written)).build());
            }
            input.notifyAll();
        }
        if (!closed && written == data.size()) {
            credited(ProtocolVersions.channelCost(data.size()));
        } else if (!closed && written > 0) {
            // The rest is credited when the writer thread has written it; this is what the gateway
            // charged for the frame beyond that.
            credited(ProtocolVersions.channelCost(data.size()) - ProtocolVersions.channelCost(data.size() - written));
        }
    }

    /** The writer thread: what could not be written at once, and resizes, in order; may block on the terminal. */
    private void writeInput() {
        try {
            while (true) {
                ChannelFrame frame;
                synchronized (input) {
                    while (!inputClosed && (writing || input.isEmpty())) {
                        input.wait();
                    }
                    if (inputClosed) {
                        return;
                    }
                    frame = input.poll();
                    if (frame == END) {
                        inputClosed = true;
                        return;
                    }
                    writing = true;
                }
                try {
                    if (frame.hasResize()) {
                        session.resize(frame.getResize().getCols(), frame.getResize().getRows());
                    } else {
                        byte[] bytes = frame.getData().toByteArray();
                        session.write(bytes);
                        credited(ProtocolVersions.channelCost(bytes.length));
                    }
                } finally {
                    synchronized (input) {
                        writing = false;
                        input.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.info("channel {}: terminal input closed: {}", channelId, e.toString());
            synchronized (input) {
                inputClosed = true;
                input.clear();
            }
        }
    }

    /** Input the gateway charged {@code cost} for reached the terminal: that much credit is due back. */
    private void credited(int cost) {
        long due = 0;
        synchronized (credit) {
            queuedInputBytes -= cost;
            pendingAck += cost;
            // Acknowledged in batches, not when the queue runs empty: a keystroke costs 256
            // bytes of a 256 KiB window, so what stays unacknowledged never holds the gateway
            // back, and a keystroke costs one message on the shared connection, not two.
            if (pendingAck >= ACK_THRESHOLD) {
                due = pendingAck;
                pendingAck = 0;
            }
        }
        if (due > 0) {
            offer(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes((int) due)).build());
        }
    }

    // ---- PTY -> gateway ------------------------------------------------------------------------

    void sendReady(String sessionId) {
        offer(ChannelFrame.newBuilder().setReady(ChannelReady.newBuilder().setSessionId(sessionId)).build());
    }

    /** The largest output frame this client's gateway takes. */
    int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The buffered output; sent at once (it is bounded by the buffer size) but counted against the credit. */
    void sendReplay(byte[] replay) {
        sendOwned(replay, replay.length); // a snapshot of its own: wrapped, not copied, never reused
    }

    /**
     * Sends {@code bytes[0, length)} as data frames of at most {@link #maxFrameBytes} that wrap the
     * array instead of copying it. True when they have been serialised into the transport's buffers
     * already (a transport that serialises, the queue empty, the call committed): the caller may
     * then read into the array again. False otherwise: the array is the frames' now, and the caller
     * takes another. A terminal that floods thus reads into one array and copies its output once, into
     * gRPC's buffer, instead of into a new 64 KiB array per frame first: in the session-5 profile
     * that copy into fresh memory (and its page faults) was a third of the reader thread's time.
     */
    boolean sendOwned(byte[] bytes, int length) {
        for (int at = 0; at < length; at += maxFrameBytes) {
            int size = Math.min(maxFrameBytes, length - at);
            synchronized (credit) {
                unacked += ProtocolVersions.channelCost(size);
            }
            offer(ChannelFrame.newBuilder().setData(UnsafeByteOperations.unsafeWrap(bytes, at, size)).build());
        }
        OutboundQueue<ChannelFrame> queue = outbox;
        // size() takes the queue's lock, which a drain holds while it hands a frame to gRPC: 0 means
        // every frame offered above has been serialised (or dropped with the stream).
        return serialisingTransport && answered && (queue == null || queue.size() == 0);
    }

    /** Blocks the session's reader while this client has no credit or its queue is full. */
    void awaitCredit(BooleanSupplier giveUp) throws InterruptedException {
        synchronized (credit) {
            while (!ended && !giveUp.getAsBoolean()
                    && (unacked >= ProtocolVersions.CHANNEL_WINDOW_BYTES || outbox.size() >= MAX_QUEUED_FRAMES)) {
                // Woken by acks and by the transport turning ready; the timeout only re-checks giveUp.
                credit.wait(200);
            }
        }
    }

    /** Ends this client's stream with a reason (session ended, or attached elsewhere). */
    void close(ChannelClose close) {
        offer(ChannelFrame.newBuilder().setClose(close).build());
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.finish();
        }
        stop();
    }

    private void offer(ChannelFrame frame) {
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null && !queue.offer(frame) && !ended) {
            abort(Status.RESOURCE_EXHAUSTED.withDescription("channel " + channelId + ": outbound queue full"));
        }
    }

    // ---- end -----------------------------------------------------------------------------------

    @Override
    public void onError(Throwable error) {
        log.info("channel {} of terminal session {} ended: {}", channelId, session.id, Status.fromThrowable(error));
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.discard();
        }
        gone();
    }

    @Override
    public void onCompleted() {
        // The gateway ended the channel (the browser left): our side ends too.
        OutboundQueue<ChannelFrame> queue = outbox;
        if (queue != null) {
            queue.finish();
        }
        gone();
    }

    private void gone() {
        stop();
        session.detach(this);
    }

    private void stop() {
        ended = true;
        synchronized (input) {
            input.clear();
            input.add(END);
            input.notifyAll();
        }
        synchronized (credit) {
            credit.notifyAll();
        }
    }

    private void abort(Status status) {
        log.warn("channel {} of terminal session {}: {}", channelId, session.id, status.getDescription());
        ClientCallStreamObserver<ChannelFrame> stream = call;
        if (stream != null) {
            stream.cancel(status.getDescription(), null);
        }
    }
}
