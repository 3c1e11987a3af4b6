package org.jovs.worker;

import java.nio.ByteBuffer;

/**
 * One request as a {@link WorkerHandler} sees it, in the worker process or (inline fallback) in
 * the main process. Valid only during {@link WorkerHandler#handle}.
 */
public interface WorkerRequest {
    /** The id of the handler the request was sent to. */
    int handlerId();

    /**
     * The request's sequence number, assigned by the main process. A request replayed to a new
     * worker after a death keeps its number, so a handler can recognise a repeat.
     */
    long sequence();

    /**
     * The payload: the bytes between position and limit. The buffer is reused after the call
     * returns; copy what must be kept. Its byte order is big-endian, like any new ByteBuffer.
     */
    ByteBuffer payload();

    /**
     * Duplicates of the fds the main process attached (empty if none). The handler owns them and
     * must close them; the main process kept its originals.
     */
    int[] fds();

    /** True if the main process waits for a reply, which must then be sent exactly once. */
    boolean wantsReply();

    /**
     * Sends the reply: the bytes between position and limit of 'data' (at most 1 MiB), plus up to 8
     * fds that stay owned by the caller (the receiver gets duplicates). 'fds' may be null. In the
     * worker this may block until the main process reads.
     *
     * @throws IllegalStateException if no reply is expected or one was already sent
     */
    void reply(ByteBuffer data, int[] fds);

    /** {@link #reply(ByteBuffer, int[])} without fds. */
    default void reply(ByteBuffer data) {
        reply(data, null);
    }
}
