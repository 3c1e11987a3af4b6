package org.jovs.core;

/**
 * Time as the main loop sees it: a monotonic millisecond clock for timers and intervals, and the
 * wall clock for log timestamps. Both are cheap enough to call on every iteration, from any thread.
 *
 * <p>The monotonic clock can be stopped and warped forward for tests, as OVS's lib/timeval.c
 * allows through {@code time/stop} and {@code time/warp} (see {@link TimeWarp}, which owns those
 * commands and calls {@link #stop()} and {@link #warp(long)}). Only {@link #msec()} (and what is
 * derived from it, {@link #sinceStart()}) is affected; the wall clock never is, so log timestamps
 * stay true. {@link #realMsec()} is the unadjusted monotonic clock, for the few places that bound
 * a blocking system call and must measure real time even while the clock is stopped.
 *
 * <p>Thread safety: readers take one volatile read of an immutable snapshot of the adjustment,
 * which is null until the clock is first stopped or warped, so the usual path costs what a bare
 * {@code System.nanoTime()} does. Writers serialize on the class lock.
 */
public final class TimeVal {
    private static final long START_NANOS = System.nanoTime();
    private static final long START_WALL = System.currentTimeMillis();

    /**
     * How {@link #msec()} departs from the real monotonic clock: frozen at 'frozenAt' (a
     * {@link #realMsec()} reading) if 'stopped', plus 'offset' milliseconds of warp.
     */
    private record Adjustment(boolean stopped, long frozenAt, long offset) {
    }

    /** Null while the clock has never been stopped or warped. */
    private static volatile Adjustment adjustment;

    private TimeVal() {
    }

    /** Monotonic milliseconds, as stopped and warped by {@link TimeWarp}; only differences are meaningful. */
    public static long msec() {
        Adjustment a = adjustment;
        if (a == null) {
            return realMsec();
        }
        return saturatedAdd(a.stopped ? a.frozenAt : realMsec(), a.offset);
    }

    /**
     * Monotonic milliseconds that neither stop nor warp: for deadlines of blocking system calls,
     * which must expire in real time whatever a test does to {@link #msec()}.
     */
    public static long realMsec() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Milliseconds since the wall clock epoch; never warped. */
    public static long wallMsec() {
        return System.currentTimeMillis();
    }

    /**
     * {@link #msec()} minus its value when this process started, as vlog's %r shows it. Warps count,
     * as in OVS, where %r is time_msec() - time_boot_msec().
     */
    public static long sinceStart() {
        return msec() - START_NANOS / 1_000_000L;
    }

    /** Wall clock time at which this process started. */
    public static long bootWallMsec() {
        return START_WALL;
    }

    /** True if the clock has been warped at all: intervals measured on it no longer mean elapsed time. */
    static boolean isWarped() {
        Adjustment a = adjustment;
        return a != null && a.offset != 0;
    }

    /** True if the clock has been stopped. */
    static boolean isStopped() {
        Adjustment a = adjustment;
        return a != null && a.stopped;
    }

    /** Milliseconds added to the clock by warps so far. */
    static long warpOffset() {
        Adjustment a = adjustment;
        return a == null ? 0 : a.offset;
    }

    /**
     * Stops the clock at the real time now; only warps move it from then on. Stopping it again
     * refreezes it at the real time of that call, as OVS's timeval_stop_cb rereads the clock.
     */
    static synchronized void stop() {
        Adjustment a = adjustment;
        adjustment = new Adjustment(true, realMsec(), a == null ? 0 : a.offset);
    }

    /** Moves the clock 'ms' (positive) milliseconds forward; a running clock keeps running. */
    static synchronized void warp(long ms) {
        Adjustment a = adjustment;
        adjustment = a == null ? new Adjustment(false, 0, ms)
                : new Adjustment(a.stopped, a.frozenAt, saturatedAdd(a.offset, ms));
    }

    /** Undoes every stop and warp. For tests, which share one clock per JVM. */
    static synchronized void reset() {
        adjustment = null;
    }

    /** a + b for b >= 0, capped at Long.MAX_VALUE: a warp by an absurd amount must not wrap the clock. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
