package org.jovs.worker;

import java.nio.ByteBuffer;

/**
 * The part of {@link WorkerRequest} that is the same wherever a handler runs: the request's
 * fields, and the rule that a handler replies exactly when a reply is wanted, and only once.
 * Subclasses say how a reply travels ({@link #deliverReply}). An instance may be reused for
 * request after request ({@link #reset}), so the worker's hot path allocates nothing.
 */
abstract class ReplyOnceRequest implements WorkerRequest {
    static final int[] NO_FDS = new int[0];

    private int handlerId;
    private long sequence;
    private ByteBuffer payload;
    private int[] fds = NO_FDS;
    private boolean wantsReply;
    private boolean replied;

    /** Makes this the request 'sequence' for 'handlerId'; the handler owns 'fds'. */
    final void reset(int handlerId, long sequence, ByteBuffer payload, int[] fds, boolean wantsReply) {
        this.handlerId = handlerId;
        this.sequence = sequence;
        this.payload = payload;
        this.fds = fds == null ? NO_FDS : fds;
        this.wantsReply = wantsReply;
        this.replied = false;
    }

    /** Sends or keeps the reply; called at most once per request, after the checks. */
    abstract void deliverReply(ByteBuffer data, int[] replyFds);

    /** True if the handler replied to the current request. */
    final boolean replied() {
        return replied;
    }

    @Override
    public final int handlerId() {
        return handlerId;
    }

    @Override
    public final long sequence() {
        return sequence;
    }

    @Override
    public final ByteBuffer payload() {
        return payload;
    }

    @Override
    public final int[] fds() {
        return fds;
    }

    @Override
    public final boolean wantsReply() {
        return wantsReply;
    }

    @Override
    public final void reply(ByteBuffer data, int[] replyFds) {
        if (!wantsReply) {
            throw new IllegalStateException("handler " + handlerId + " replied to request " + sequence
                    + ", which expects no reply");
        }
        if (replied) {
            throw new IllegalStateException("handler " + handlerId + " replied twice to request " + sequence);
        }
        deliverReply(data, replyFds);
        replied = true;
    }
}
