package org.jovs.core;

/**
 * A token bucket for log messages, as OVS's VLOG_RATE_LIMIT_INIT(RATE, BURST): at most 'burst'
 * messages at once, refilled at 'ratePerMinute' messages per minute. Guards log calls that a
 * misbehaving peer could otherwise trigger without bound.
 *
 * <p>Not thread-safe: each instance belongs to the thread that logs through it (normally the
 * main loop).
 */
public final class RateLimit {
    private static final long MSG_TOKENS = 60_000;

    private final long ratePerMinute;
    private final long maxTokens;
    private long tokens;
    private long lastFill = Long.MIN_VALUE;

    /** A limiter allowing 'ratePerMinute' messages per minute with bursts of up to 'burst'. */
    public RateLimit(int ratePerMinute, int burst) {
        if (ratePerMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerMinute = ratePerMinute;
        this.maxTokens = burst * MSG_TOKENS;
        this.tokens = maxTokens;
    }

    /** True if a message may be logged now; consumes the allowance if so. */
    public boolean allow() {
        return allow(TimeVal.msec());
    }

    /** Like {@link #allow()} at monotonic time 'now', for tests. */
    boolean allow(long now) {
        if (lastFill != Long.MIN_VALUE && now > lastFill) {
            long elapsed = now - lastFill;
            long add = elapsed >= maxTokens ? maxTokens : elapsed * ratePerMinute;
            tokens = Math.min(maxTokens, tokens + add);
        }
        lastFill = lastFill == Long.MIN_VALUE ? now : Math.max(lastFill, now);
        if (tokens >= MSG_TOKENS) {
            tokens -= MSG_TOKENS;
            return true;
        }
        return false;
    }
}
