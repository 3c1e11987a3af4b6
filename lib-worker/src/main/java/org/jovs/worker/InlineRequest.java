package org.jovs.worker;

import java.nio.ByteBuffer;


/**
 * A request run in the main process by a handler's inline fallback ({@link DeathPolicy#INLINE}).
 * The reply, if any, is kept as a {@link WorkerReply} (payload copied, fds duplicated) so that the
 * client can hand it to the reply callback in submission order.
 */
final class InlineRequest implements WorkerRequest {
    private static final int[] NO_FDS = new int[0];

    private final int handlerId;
    private final long sequence;
    private final ByteBuffer payload;
    private final int[] fds;
    private final boolean wantsReply;
    private WorkerReply result;

    /** Takes ownership of 'fds' (passed on to the handler). */
    InlineRequest(int handlerId, long sequence, ByteBuffer payload, int[] fds, boolean wantsReply) {
        this.handlerId = handlerId;
        this.sequence = sequence;
        this.payload = payload;
        this.fds = fds == null ? NO_FDS : fds;
        this.wantsReply = wantsReply;
    }

    /** Runs 'handler' on this request; returns the reply (or failure) if one is wanted, else null. */
    WorkerReply runWith(WorkerHandler handler) {
        try {
            handler.handle(this);
        } catch (Exception | AssertionError e) {
            WorkerClient.LOG.error("inline handler {} failed on request {}", handlerId, sequence, e);
            return wantsReply && result == null
                    ? WorkerReply.failure(sequence, handlerId, "inline handler failed: " + e) : result;
        }
        if (wantsReply && result == null) {
            return WorkerReply.failure(sequence, handlerId, "inline handler did not reply");
        }
        return result;
    }

    @Override
    public int handlerId() {
        return handlerId;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public ByteBuffer payload() {
        return payload;
    }

    @Override
    public int[] fds() {
        return fds;
    }

    @Override
    public boolean wantsReply() {
        return wantsReply;
    }

    @Override
    public void reply(ByteBuffer data, int[] replyFds) {
        if (!wantsReply) {
            throw new IllegalStateException("handler " + handlerId + " replied to request " + sequence
                    + ", which expects no reply");
        }
        if (result != null) {
            throw new IllegalStateException("handler " + handlerId + " replied twice to request " + sequence);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(0, data, data.position(), data.remaining());
        result = WorkerReply.success(sequence, handlerId, copy, WorkerClient.dupFds(replyFds));
    }
}
