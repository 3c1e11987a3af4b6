package org.jovs.worker;

/**
 * What the main process does with a request the worker had not acknowledged as complete when it
 * died (whether or not it had been sent). Declared per handler id with
 * {@link WorkerClient#register}.
 */
public enum DeathPolicy {
    /**
     * Send it again to the next worker, in the original order. The request may then run twice (it
     * may have run before the death was noticed), so its handler must tolerate repeats.
     */
    REPLAY,
    /**
     * Run it at once in the main process with the handler registered there (for example a direct,
     * possibly blocking, log write). Also used for new requests while no worker is up.
     */
    INLINE,
    /** Give up: its reply callback (if any) receives a failed {@link WorkerReply}. */
    FAIL
}
