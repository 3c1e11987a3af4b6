package org.jovs.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.jovs.core.RateLimit;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Worker handler {@value #ID}: runs a batch of netlink transactions, or one dump, on the worker's
 * own sockets and replies with the kernel's replies; the worker half of {@link NlWorkerExecutor}.
 *
 * <p>Runs in the worker process (found through ServiceLoader), where blocking is allowed: each
 * batch waits for its replies, bounded by {@link NlSocket#DEFAULT_TIMEOUT_MS}. Its sockets live in
 * the network namespace the worker was started in. Every request gets exactly one reply: the
 * replies, or a failure text (malformed batch, failed system call, timeout, replies larger than
 * the channel carries). Nothing here throws, so a bad batch never ends the worker.
 */
public final class NlBatchHandler implements WorkerHandler {
    /** The handler id, in lib-worker's range for project modules. */
    public static final int ID = 2;

    private static final Logger LOG = LoggerFactory.getLogger("netlink_socket");
    private static final RateLimit RL = new RateLimit(5, 20);

    private final NlSockets sockets = new NlSockets();

    @Override
    public int id() {
        return ID;
    }

    @Override
    public void handle(WorkerRequest request) {
        ByteBuffer reply;
        try {
            reply = run(NlBatch.decode(request.payload()));
        } catch (IOException | IllegalArgumentException e) {
            if (RL.admit(LOG, Level.WARN)) {
                LOG.warn("netlink batch {} failed: {}", request.sequence(), e.getMessage());
            }
            reply = NlBatch.encodeFailure(e.getMessage());
        }
        if (request.wantsReply()) {
            request.reply(reply);
        }
    }

    private ByteBuffer run(NlBatch batch) throws IOException {
        List<byte[]> replies = batch.kind() == NlBatch.DUMP
                ? List.of(sockets.dump(batch.protocol(), batch.messages().get(0)))
                : sockets.transact(batch.protocol(), batch.messages());
        int size = NlBatch.encodedSize(replies);
        if (size > WorkerClient.MAX_PAYLOAD) {
            throw new NlException("netlink replies of " + size + " bytes exceed the worker channel's limit of "
                    + WorkerClient.MAX_PAYLOAD + " bytes");
        }
        return NlBatch.encodeReplies(replies);
    }
}
