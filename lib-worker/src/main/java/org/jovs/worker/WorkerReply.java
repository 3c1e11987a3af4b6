package org.jovs.worker;

import java.nio.ByteBuffer;

/**
 * The outcome of one request that asked for a reply: the worker's answer, or the reason there will
 * be none (the worker died and the handler's policy is {@link DeathPolicy#FAIL}, or the inline
 * fallback failed).
 */
public final class WorkerReply {
    private static final int[] NO_FDS = new int[0];

    private final long sequence;
    private final int handlerId;
    private final ByteBuffer payload;
    private final int[] fds;
    private final String error;

    private WorkerReply(long sequence, int handlerId, ByteBuffer payload, int[] fds, String error) {
        this.sequence = sequence;
        this.handlerId = handlerId;
        this.payload = payload;
        this.fds = fds == null ? NO_FDS : fds;
        this.error = error;
    }

    static WorkerReply success(long sequence, int handlerId, ByteBuffer payload, int[] fds) {
        return new WorkerReply(sequence, handlerId, payload, fds, null);
    }

    static WorkerReply failure(long sequence, int handlerId, String error) {
        return new WorkerReply(sequence, handlerId, ByteBuffer.allocate(0), null, error);
    }

    /** True if this is the handler's reply; false if the request failed ({@link #error()}). */
    public boolean ok() {
        return error == null;
    }

    /** Why the request failed, or null if {@link #ok()}. */
    public String error() {
        return error;
    }

    /** The sequence number of the request answered. */
    public long sequence() {
        return sequence;
    }

    public int handlerId() {
        return handlerId;
    }

    /**
     * The reply's bytes, between position and limit (empty on failure). Valid only during the
     * callback; copy what must be kept.
     */
    public ByteBuffer payload() {
        return payload;
    }

    /** Fds sent with the reply (empty if none). The callback owns them and must close them. */
    public int[] fds() {
        return fds;
    }

    @Override
    public String toString() {
        return ok() ? "reply to request " + sequence + " (" + payload.remaining() + " bytes)"
                : "request " + sequence + " failed: " + error;
    }
}
