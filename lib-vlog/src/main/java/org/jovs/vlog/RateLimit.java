package org.jovs.vlog;

import java.util.function.LongSupplier;

import org.jovs.core.TimeVal;

/**
 * OVS's VLOG_RATE_LIMIT_INIT(RATE, BURST): a token bucket that lets a call site log at most RATE
 * messages per minute on average, in bursts of up to BURST. Each message costs 60,000 tokens and
 * the bucket gains RATE tokens per millisecond; it starts full. A call site keeps one instance:
 * <pre>
 *   private static final RateLimit RL = new RateLimit(5, 10);
 *   ...
 *   Vlog.warnRl(LOG, RL, "bad packet from {}", peer);
 * </pre>
 * Dropped messages are counted, and the next message that passes is preceded by OVS's
 * "Dropped N log messages in last S seconds (most recently, T seconds ago) due to excessive rate"
 * (see {@link Vlog#drop}). Thread-safe.
 */
public final class RateLimit {
    static final long MSG_TOKENS = 60_000;

    private final long rate;
    private final long burst;
    private final LongSupplier clockMs;
    private long tokens;
    private long lastFill = Long.MIN_VALUE;
    private long firstDropped;
    private long lastDropped;
    private long nDropped;

    /** At most 'ratePerMinute' messages per minute, in bursts of at most 'burst'. */
    public RateLimit(int ratePerMinute, int burst) {
        this(ratePerMinute, burst, TimeVal::msec);
    }

    /** Same, with a monotonic millisecond clock, for tests. */
    RateLimit(int ratePerMinute, int burst, LongSupplier clockMs) {
        this.rate = ratePerMinute;
        this.burst = burst * MSG_TOKENS;
        this.clockMs = clockMs;
    }

    /**
     * Takes one message's worth of tokens. Returns null if there are not enough (the message must
     * be dropped; the drop is counted), "" if the message may be logged, or, if it may be logged
     * after earlier drops, the "Dropped ..." text to log just before it.
     */
    synchronized String admit() {
        long now = clockMs.getAsLong();
        if (tokens < MSG_TOKENS) {
            if (now > lastFill) {
                long elapsed = lastFill == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastFill;
                long added = rate == 0 ? 0 : elapsed > burst / rate ? burst : rate * elapsed;
                tokens = Math.min(burst, tokens + added);
                lastFill = now;
            }
            if (tokens < MSG_TOKENS) {
                long seconds = now / 1000;
                if (nDropped == 0) {
                    firstDropped = seconds;
                }
                lastDropped = seconds;
                nDropped++;
                return null;
            }
        }
        tokens -= MSG_TOKENS;
        if (nDropped == 0) {
            return "";
        }
        long seconds = now / 1000;
        String summary = "Dropped " + nDropped + " log messages in last "
                + (seconds - firstDropped) + " seconds (most recently, "
                + (seconds - lastDropped) + " seconds ago) due to excessive rate";
        nDropped = 0;
        return summary;
    }
}
