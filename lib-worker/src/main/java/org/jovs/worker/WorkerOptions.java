package org.jovs.worker;

import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link WorkerClient} starts its worker and reacts to its death. Set everything before
 * {@link WorkerClient#start()}; only {@link #property} may also change later, and then applies to
 * workers started after the change (restarts).
 */
public final class WorkerOptions {
    /** The minimum queue bound: one message of the largest size must fit. */
    public static final long MIN_MAX_QUEUED_BYTES = Frame.HEADER + Frame.MAX_PAYLOAD;

    /** What the main process does when its worker dies (ovs-vswitchd's --worker-failure). */
    public enum FailureMode {
        /** Log at EMER and abort(3), as OVS did, so that --monitor restarts the whole daemon. */
        ABORT,
        /** Restart the worker with back-off and handle unacknowledged requests by policy. */
        RESTART;

        /** Parses "abort" or "restart" (the option's argument). */
        public static FailureMode parse(String s) {
            switch (s) {
            case "abort":
                return ABORT;
            case "restart":
                return RESTART;
            default:
                throw new IllegalArgumentException("unknown worker failure mode \"" + s
                        + "\" (expected \"abort\" or \"restart\")");
            }
        }
    }

    private final Map<String, String> properties = new LinkedHashMap<>();
    private long maxQueuedBytes = 16L << 20;
    private FailureMode failureMode = FailureMode.RESTART;
    private long minBackoffMs = 100;
    private long maxBackoffMs = 10_000;
    private final List<String> jvmOptions = new ArrayList<>();
    private Redirect output;

    /**
     * Adds a startup property for the worker: handlers receive all of them in
     * {@link WorkerHandler#init}. Modules contribute their own (configuration, log settings).
     */
    public synchronized WorkerOptions property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** A copy of the startup properties. */
    public synchronized Map<String, String> properties() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Bounds the memory that holds requests not yet acknowledged by the worker (default 16 MiB).
     * Below the bound, {@link WorkerClient#request} never blocks; at the bound it waits.
     */
    public WorkerOptions maxQueuedBytes(long bytes) {
        if (bytes < MIN_MAX_QUEUED_BYTES || bytes > (1L << 30)) {
            throw new IllegalArgumentException("maxQueuedBytes must be between " + MIN_MAX_QUEUED_BYTES
                    + " and 1 GiB");
        }
        this.maxQueuedBytes = bytes;
        return this;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    public WorkerOptions failureMode(FailureMode mode) {
        this.failureMode = mode;
        return this;
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    /**
     * Sets the restart delay after a death: 'minMs', doubled for each death in a row in which the
     * worker made no progress, up to 'maxMs' (defaults 100 ms and 10 s).
     */
    public WorkerOptions restartBackoff(long minMs, long maxMs) {
        if (minMs < 1 || maxMs < minMs) {
            throw new IllegalArgumentException("bad restart back-off " + minMs + ".." + maxMs + " ms");
        }
        this.minBackoffMs = minMs;
        this.maxBackoffMs = maxMs;
        return this;
    }

    public long minBackoffMs() {
        return minBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    /** Adds options for the worker JVM, after the built-in ones (so they can override them). */
    public WorkerOptions jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public List<String> jvmOptions() {
        return Collections.unmodifiableList(jvmOptions);
    }

    /**
     * Where the worker's stdout and stderr go; null (the default) means this process's stderr.
     */
    public WorkerOptions output(Redirect redirect) {
        this.output = redirect;
        return this;
    }

    public Redirect output() {
        return output;
    }
}
