package dev.rdeportal.agent.terminal;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
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
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
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
 *       the HTTP/2 connection window that the agent's other streams share) into a queue that the
 *       gateway's credit bounds; a writer thread moves them to the PTY and acknowledges what it
 *       wrote. A process that does not read its input therefore stalls only its own client.</li>
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
    private final int outboxCapacity;
    private final Object credit = new Object();
    private final LinkedBlockingQueue<ChannelFrame> input = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<ChannelFrame> call;
    private volatile OutboundQueue<ChannelFrame> outbox;
    private volatile boolean ended;
    private long unacked; // guarded by credit
    private long queuedInputBytes; // guarded by credit

    ChannelStream(String channelId, TerminalSession session, Executor threads, int bufferBytes) {
        this.channelId = channelId;
        this.session = session;
        this.threads = threads;
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
                if (overrun || input.size() >= MAX_INPUT_FRAMES) {
                    abort(Status.RESOURCE_EXHAUSTED.withDescription("gateway sent beyond its credit"));
                    return;
                }
                input.add(frame);
            }
            case RESIZE -> {
                if (input.size() >= MAX_INPUT_FRAMES) {
                    abort(Status.RESOURCE_EXHAUSTED.withDescription("gateway sent too many frames"));
                    return;
                }
                input.add(frame);
            }
            default -> log.debug("channel {}: ignoring frame {}", channelId, frame.getBodyCase());
        }
        // Always ready for the next frame: the credit, not the transport, bounds what is queued.
        call.request(1);
    }

    private void writeInput() {
        long pendingAck = 0;
        try {
            while (true) {
                ChannelFrame frame = input.take();
                if (frame == END) {
                    return;
                }
                if (frame.hasResize()) {
                    session.resize(frame.getResize().getCols(), frame.getResize().getRows());
                    continue;
                }
                byte[] bytes = frame.getData().toByteArray();
                session.write(bytes);
                int cost = ProtocolVersions.channelCost(bytes.length);
                synchronized (credit) {
                    queuedInputBytes -= cost;
                }
                pendingAck += cost;
                // Acknowledged in batches, not when the queue runs empty: a keystroke costs 256
                // bytes of a 256 KiB window, so what stays unacknowledged never holds the gateway
                // back, and a keystroke costs one message on the shared connection, not two.
                if (pendingAck >= ACK_THRESHOLD) {
                    offer(ChannelFrame.newBuilder().setAck(Ack.newBuilder().setBytes((int) pendingAck)).build());
                    pendingAck = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.info("channel {}: terminal input closed: {}", channelId, e.toString());
        }
    }

    // ---- PTY -> gateway ------------------------------------------------------------------------

    void sendReady(String sessionId) {
        offer(ChannelFrame.newBuilder().setReady(ChannelReady.newBuilder().setSessionId(sessionId)).build());
    }

    /** The buffered output; sent at once (it is bounded by the buffer size) but counted against the credit. */
    void sendReplay(byte[] replay) {
        for (int at = 0; at < replay.length; at += ProtocolVersions.CHANNEL_MAX_FRAME_BYTES) {
            int end = Math.min(replay.length, at + ProtocolVersions.CHANNEL_MAX_FRAME_BYTES);
            sendData(replay, at, end - at);
        }
    }

    /** Copies {@code length} bytes of {@code bytes} from {@code offset} into a data frame. */
    void sendData(byte[] bytes, int offset, int length) {
        synchronized (credit) {
            unacked += ProtocolVersions.channelCost(length);
        }
        offer(ChannelFrame.newBuilder().setData(ByteString.copyFrom(bytes, offset, length)).build());
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
        input.clear();
        input.add(END);
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
