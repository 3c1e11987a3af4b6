package org.jovs.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

import org.jovs.core.PollLoop;
import org.jovs.worker.DeathPolicy;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerReply;

/**
 * The main loop's way to run netlink batches without blocking: it encodes them and hands them to
 * the worker process, whose {@link NlBatchHandler} (id {@value NlBatchHandler#ID}) runs them on its
 * own sockets and sends the kernel's replies back. Datapath flow setup uses this path.
 *
 * <p>Use from the main thread only: {@link #transact} or {@link #dump} to submit, {@link #run()}
 * and {@link #waitFor} from the main loop next to the worker client's own, {@link #close()} at exit.
 * Each submission's callback runs exactly once with an {@link NlResult}: the replies, or the reason
 * there are none. Never silence.
 *
 * <p>Paths:
 * <ul>
 * <li>Worker running: the batch goes to the worker and the callback runs from
 * {@link WorkerClient#run()} (or from inside a {@link WorkerClient#request} that waits for queue
 * room), in submission order. The main process makes no netlink send for it.
 * <li>No worker (none given, not started, closed, or restarting after a death): the batch runs at
 * once on a socket of this process, which BLOCKS the caller until the kernel answers (at most
 * {@link NlSocket#DEFAULT_TIMEOUT_MS}), as OVS's vlog wrote directly while its worker was down. The
 * callback runs from the next {@link #run()}, never from inside the submission.
 * </ul>
 *
 * <p>Death policy {@link DeathPolicy#FAIL}: a batch outstanding when the worker dies may or may not
 * have reached the kernel, and transactions such as a flow put or a packet execute must not be
 * repeated blindly (a second execute sends the packet twice; a second create fails with EEXIST).
 * Its callback gets a failure and the submitter decides; a read-only batch (a GET or a dump) can
 * simply be submitted again.
 */
public final class NlWorkerExecutor implements Closeable {
    private record Submission(NlBatch batch, Consumer<NlResult> onDone) {
    }

    private record Outcome(Consumer<NlResult> onDone, NlResult result) {
    }

    private final WorkerClient worker;
    private final NlSockets direct = new NlSockets();
    /* Batches submitted while the worker client was inside request() (from a callback it ran), which
     * cannot be re-entered; sent from run() in order, ahead of later submissions. */
    private final ArrayDeque<Submission> held = new ArrayDeque<>();
    /* Outcomes of batches run in this process, for run() to deliver. */
    private final ArrayDeque<Outcome> outcomes = new ArrayDeque<>();

    /**
     * Sends batches through 'worker' while it runs, and runs them in this process otherwise; with a
     * null 'worker', always in this process. Registers handler {@value NlBatchHandler#ID} with
     * 'worker' (policy FAIL).
     */
    public NlWorkerExecutor(WorkerClient worker) {
        this.worker = worker;
        if (worker != null) {
            worker.register(NlBatchHandler.ID, DeathPolicy.FAIL);
        }
    }

    /**
     * Submits 'requests' (complete messages, seq and port id left zero, as from
     * {@link NlMsgBuilder#toBytes()}) for netlink 'protocol' as transactions; 'onDone' receives one
     * reply per request, in the {@link NlExecutor#execute} shape.
     */
    public void transact(int protocol, List<byte[]> requests, Consumer<NlResult> onDone) {
        submit(new NlBatch(NlBatch.TRANSACT, protocol, requests), onDone);
    }

    /** Submits 'request' as a dump; 'onDone' receives one reply, in the {@link NlExecutor#executeDump} shape. */
    public void dump(int protocol, byte[] request, Consumer<NlResult> onDone) {
        submit(new NlBatch(NlBatch.DUMP, protocol, List.of(request)), onDone);
    }

    /** True if submissions go to the worker now (a test hook, and for worker/show-like reports). */
    public boolean viaWorker() {
        return worker != null && worker.isRunning();
    }

    /** Sends held batches and runs the callbacks of batches that ran in this process. */
    public void run() {
        while (!held.isEmpty() && !(viaWorker() && worker.inRequest())) {
            Submission s = held.poll();
            dispatch(s.batch(), s.onDone());
        }
        Outcome o;
        while ((o = outcomes.poll()) != null) {
            o.onDone().accept(o.result());
        }
    }

    /** Wakes the loop at once if {@link #run()} has something to do. */
    public void waitFor(PollLoop loop) {
        if (!held.isEmpty() || !outcomes.isEmpty()) {
            loop.immediateWake();
        }
    }

    /** Closes this process's own sockets. Batches already with the worker are the worker client's. */
    @Override
    public void close() {
        direct.close();
    }

    private void submit(NlBatch batch, Consumer<NlResult> onDone) {
        if (batch.protocol() < 0 || batch.protocol() > 31) {
            throw new IllegalArgumentException("netlink protocol " + batch.protocol() + " out of range 0..31");
        }
        if (!held.isEmpty() || (viaWorker() && worker.inRequest())) {
            held.add(new Submission(batch, onDone));
            return;
        }
        dispatch(batch, onDone);
    }

    private void dispatch(NlBatch batch, Consumer<NlResult> onDone) {
        if (viaWorker()) {
            ByteBuffer payload = batch.encode();
            if (payload.remaining() > WorkerClient.MAX_PAYLOAD) {
                outcomes.add(new Outcome(onDone, NlResult.failed(new NlException("netlink batch of "
                        + payload.remaining() + " bytes exceeds the worker channel's limit of "
                        + WorkerClient.MAX_PAYLOAD + " bytes"))));
                return;
            }
            worker.request(NlBatchHandler.ID, payload, reply -> onDone.accept(resultOf(reply)));
            return;
        }
        NlResult result;
        try {
            result = NlResult.of(batch.kind() == NlBatch.DUMP
                    ? List.of(direct.dump(batch.protocol(), batch.messages().get(0)))
                    : direct.transact(batch.protocol(), batch.messages()));
        } catch (IOException e) {
            result = NlResult.failed(e);
        }
        outcomes.add(new Outcome(onDone, result));
    }

    private static NlResult resultOf(WorkerReply reply) {
        if (!reply.ok()) {
            return NlResult.failed(new NlException("netlink batch not completed: " + reply.error()));
        }
        try {
            return NlBatch.decodeResult(reply.payload());
        } catch (NlParseException e) {
            return NlResult.failed(e);
        }
    }
}
