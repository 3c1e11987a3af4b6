package org.jovs.core;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;

/**
 * OVS's VLOG_RATE_LIMIT_INIT(RATE, BURST): a token bucket that lets a call site log at most RATE
 * messages per minute on average, in bursts of up to BURST. Each message costs 60,000 tokens and
 * the bucket gains RATE tokens per millisecond; it starts full. A call site keeps one instance
 * and asks it before each message, through SLF4J alone:
 * <pre>
 *   private static final RateLimit RL = new RateLimit(5, 10);
 *   ...
 *   if (RL.admit(LOG, Level.WARN)) {
 *       LOG.warn("bad packet from {}", peer);
 *   }
 * </pre>
 * Dropped messages are counted, and the next message admitted is preceded, on the same logger and
 * level, by OVS's "Dropped N log messages in last S seconds (most recently, T seconds ago) due to
 * excessive rate". Messages below the logger's level are neither logged nor counted.
 *
 * <p>Which modules honour rate limits is vlog's business (vlog/disable-rate-limit): lib-vlog
 * installs a {@link #setModulePolicy policy} on logger names when it starts; until then every
 * logger honours them.
 *
 * <p>Thread-safe: any thread may use an instance. The summary is logged outside the lock.
 */
public final class RateLimit {
    private static final long MSG_TOKENS = 60_000;

    private static volatile Predicate<String> honorsRateLimits = loggerName -> true;

    private final long rate;
    private final long burst;
    private final LongSupplier clockMs;
    /* Bucket and drop accounting, guarded by 'this'. */
    private long tokens;
    private long lastFill = Long.MIN_VALUE;
    private long firstDropped;
    private long lastDropped;
    private long nDropped;

    /** At most 'ratePerMinute' messages per minute, in bursts of at most 'burst'. */
    public RateLimit(int ratePerMinute, int burst) {
        this(ratePerMinute, burst, TimeVal::msec);
    }

    /** Same, on 'clockMs' (monotonic milliseconds) instead of {@link TimeVal#msec()}, for tests. */
    public RateLimit(int ratePerMinute, int burst, LongSupplier clockMs) {
        if (ratePerMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.rate = ratePerMinute;
        this.burst = burst * MSG_TOKENS;
        this.clockMs = Objects.requireNonNull(clockMs);
    }

    /**
     * Sets which loggers honour rate limits: 'honors' gets a logger name and answers for its vlog
     * module. lib-vlog installs it so that vlog/disable-rate-limit reaches every call site.
     */
    public static void setModulePolicy(Predicate<String> honors) {
        honorsRateLimits = Objects.requireNonNull(honors);
    }

    /**
     * OVS's VLOG_DROP_*, inverted: true if a message at 'level' on 'log' may be logged now. False,
     * without counting anything, if 'log' is not enabled at 'level'; true if its module ignores
     * rate limits; otherwise takes one message's tokens, and on failure counts the drop and
     * returns false. When admitting after drops, first logs the "Dropped ..." summary on 'log'.
     */
    public boolean admit(Logger log, Level level) {
        return admit(log, level, null);
    }

    /** {@link #admit(Logger, Level)} for messages logged with 'marker' (e.g. Fatal.EMER), or null. */
    public boolean admit(Logger log, Level level, Marker marker) {
        return admitAt(log, level, marker, clockMs.getAsLong());
    }

    /** {@link #admit(Logger, Level, Marker)} at monotonic time 'now', for callers that have it. */
    boolean admitAt(Logger log, Level level, Marker marker, long now) {
        if (!isEnabled(log, level, marker)) {
            return false;
        }
        if (!honorsRateLimits.test(log.getName())) {
            return true;
        }
        String summary = withdraw(now);
        if (summary == null) {
            return false;
        }
        if (!summary.isEmpty()) {
            log(log, level, marker, summary);
        }
        return true;
    }

    /**
     * Takes one message's worth of tokens at monotonic time 'now'. Returns null if there are not
     * enough (the drop is counted), "" if the message may be logged, or, if it may be logged after
     * earlier drops, the "Dropped ..." text to log just before it.
     */
    synchronized String withdraw(long now) {
        if (tokens < MSG_TOKENS) {
            // Refill only when time moved forward, so a clock going back gives nothing extra.
            if (now > lastFill) {
                long elapsed = lastFill == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastFill;
                long added = elapsed > burst / rate ? burst : rate * elapsed;
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

    private static boolean isEnabled(Logger log, Level level, Marker marker) {
        switch (level) {
        case ERROR:
            return log.isErrorEnabled(marker);
        case WARN:
            return log.isWarnEnabled(marker);
        case INFO:
            return log.isInfoEnabled(marker);
        case DEBUG:
            return log.isDebugEnabled(marker);
        default:
            return log.isTraceEnabled(marker);
        }
    }

    private static void log(Logger log, Level level, Marker marker, String text) {
        switch (level) {
        case ERROR:
            log.error(marker, text);
            break;
        case WARN:
            log.warn(marker, text);
            break;
        case INFO:
            log.info(marker, text);
            break;
        case DEBUG:
            log.debug(marker, text);
            break;
        default:
            log.trace(marker, text);
            break;
        }
    }
}
