package org.jovs.worker;

/**
 * Receives the outcome of a request that asked for a reply, in the main process.
 *
 * <p>The client calls it exactly once per such request, in submission order: from
 * {@link WorkerClient#run()}, or from inside {@link WorkerClient#request} while that call waits for
 * room (then {@link WorkerClient#inRequest()} is true and the callback cannot submit requests).
 */
@FunctionalInterface
public interface ReplyCallback {
    /** 'reply' is either the worker's answer ({@link WorkerReply#ok()}) or the reason there is none. */
    void onReply(WorkerReply reply);
}
