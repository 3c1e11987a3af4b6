package org.jovs.worker;

import java.nio.ByteBuffer;


/**
 * A request run in the main process by a handler's inline fallback ({@link DeathPolicy#INLINE}).
 * The reply, if any, is kept as a {@link WorkerReply} (payload copied, fds duplicated) so that the
 * client can hand it to the reply callback in submission order.
 */
final class InlineRequest extends ReplyOnceRequest {
    private WorkerReply result;

    /** Takes ownership of 'fds' (passed on to the handler). */
    InlineRequest(int handlerId, long sequence, ByteBuffer payload, int[] fds, boolean wantsReply) {
        reset(handlerId, sequence, payload, fds, wantsReply);
    }

    /** Runs 'handler' on this request; returns the reply (or failure) if one is wanted, else null. */
    WorkerReply runWith(WorkerHandler handler) {
        try {
            handler.handle(this);
        } catch (Exception | AssertionError e) {
            WorkerClient.LOG.error("inline handler {} failed on request {}", handlerId(), sequence(), e);
            return wantsReply() && result == null
                    ? WorkerReply.failure(sequence(), handlerId(), "inline handler failed: " + e) : result;
        }
        if (wantsReply() && result == null) {
            return WorkerReply.failure(sequence(), handlerId(), "inline handler did not reply");
        }
        return result;
    }

    @Override
    void deliverReply(ByteBuffer data, int[] replyFds) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(0, data, data.position(), data.remaining());
        result = WorkerReply.success(sequence(), handlerId(), copy, WorkerClient.dupFds(replyFds));
    }
}
