package org.jovs.core;

/**
 * Time as the main loop sees it: a monotonic millisecond clock for timers and intervals, and the
 * wall clock for log timestamps. Both are cheap enough to call on every iteration.
 */
public final class TimeVal {
    private static final long START_NANOS = System.nanoTime();
    private static final long START_WALL = System.currentTimeMillis();

    private TimeVal() {
    }

    /** Monotonic milliseconds; only differences are meaningful. */
    public static long msec() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Milliseconds since the wall clock epoch. */
    public static long wallMsec() {
        return System.currentTimeMillis();
    }

    /** Milliseconds since this process started, as vlog's %r shows it. */
    public static long sinceStart() {
        return (System.nanoTime() - START_NANOS) / 1_000_000L;
    }

    /** Wall clock time at which this process started. */
    public static long bootWallMsec() {
        return START_WALL;
    }
}
