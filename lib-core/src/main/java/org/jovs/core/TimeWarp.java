package org.jovs.core;

import org.jovs.core.unixctl.UnixctlConnection;
import org.jovs.core.unixctl.UnixctlServer;

/**
 * The unixctl commands that drive {@link TimeVal#msec()} for tests, as OVS's timeval.c registers
 * them in timeval_dummy_register() (ovs-vswitchd --enable-dummy):
 * <ul>
 * <li>{@code time/stop} stops the monotonic clock; only warps move it afterwards. Replies nothing.
 * <li>{@code time/warp MSECS} moves the clock MSECS forward at once and replies "warped". Unless it
 * is stopped, the clock keeps running from there.
 * <li>{@code time/warp LARGE_MSECS MSECS} moves it LARGE_MSECS forward, MSECS at a time, with a
 * full main-loop iteration (every run() function) between steps, so that timers, MAC aging and
 * the like happen along the way as they would in real time. "warped" is a deferred reply, sent
 * when the last step has been taken. Meanwhile another time/warp gets "A previous warp in
 * progress". As in OVS, LARGE_MSECS of 0 means a single MSECS step, and a LARGE_MSECS that is not a
 * multiple of MSECS ends with a shorter step.
 * <li>{@code time/show} (not in OVS, which has no such command; hidden from list-commands so that
 * the list stays OVS's) shows the clock, whether it is stopped, the warp so far and any warp in
 * progress.
 * </ul>
 * Arguments are read as C's atoll() reads them, and a MSECS that is not positive or a negative
 * LARGE_MSECS gets OVS's "invalid MSECS".
 *
 * <p>Contract: the caller decides whether these commands exist ({@link #registerCommands}); the
 * clock is untouched until one is used. The steps of a stepped warp are taken by
 * {@link PollLoop#block()} on the thread that received the command (the main thread, where the
 * unixctl server runs), which then polls without sleeping; PollLoops of other threads neither take
 * steps nor wake for them (OVS wakes them through timewarp_seq; jovs has no other poll-loop thread).
 * Handlers run on the server's thread and never block.
 *
 * <p>Thread safety: the warp in progress is published through a volatile field, so that
 * {@link #step()}, called on every block() of every PollLoop, costs one volatile read while no
 * warp is in progress; changes to it serialize on the class lock.
 */
public final class TimeWarp {
    /** A stepped warp in progress: 'remaining' ms still to add, 'step' at a time, for 'conn'. */
    private static final class Warp {
        final UnixctlConnection conn;
        final Thread owner;
        final long step;
        long remaining;

        Warp(UnixctlConnection conn, long remaining, long step) {
            this.conn = conn;
            this.owner = Thread.currentThread();
            this.remaining = remaining;
            this.step = step;
        }
    }

    private static volatile Warp inProgress;

    private TimeWarp() {
    }

    /** Registers time/stop, time/warp and time/show on 'server'. */
    public static void registerCommands(UnixctlServer server) {
        server.register("time/stop", "", 0, 0, (conn, args) -> {
            TimeVal.stop();
            conn.reply(null);
        });
        server.register("time/warp", "[large_msecs] msecs", 1, 2, (conn, args) -> {
            long large = args.size() > 1 ? atoll(args.get(0)) : 0;
            long msecs = atoll(args.get(args.size() - 1));
            if (msecs <= 0 || large < 0) {
                conn.replyError("invalid MSECS");
            } else if (!start(conn, large, msecs)) {
                conn.replyError("A previous warp in progress");
            }
        });
        server.register("time/show", null, 0, 0, (conn, args) -> conn.reply(show()));
    }

    /**
     * Starts a warp of 'large' ms in steps of 'msecs' for 'conn', or returns false if one is in
     * progress. A warp of a single step is taken at once, so its reply is immediate, as in OVS;
     * longer ones begin in the next {@link PollLoop#block()}, so that the loop runs between every
     * two steps, the first two included (OVS takes the first step here, before the loop has run).
     */
    private static synchronized boolean start(UnixctlConnection conn, long large, long msecs) {
        if (inProgress != null) {
            return false;
        }
        Warp warp = new Warp(conn, large, msecs);
        if (large <= msecs) {
            advance(warp);
        } else {
            inProgress = warp;
        }
        return true;
    }

    /**
     * Takes the next step of the warp in progress, if there is one and this thread started it.
     * Returns true if it did: the caller, {@link PollLoop#block()}, must then not sleep, whether to
     * run the loop before the next step or, after the last one, to let everyone see the final time
     * (and the unixctl server watch the connection that was just answered).
     */
    static boolean step() {
        Warp warp = inProgress;
        if (warp == null || warp.owner != Thread.currentThread()) {
            return false;
        }
        synchronized (TimeWarp.class) {
            if (advance(warp)) {
                inProgress = null;
            }
        }
        return true;
    }

    /**
     * Adds one step of 'warp' to the clock, as OVS's timewarp_work(): 'step' ms while that much
     * remains, then the rest; with nothing to spread (a single warp), 'step' ms. Replies "warped"
     * and returns true after the last step.
     */
    private static boolean advance(Warp warp) {
        long ms = warp.remaining == 0 ? warp.step : Math.min(warp.step, warp.remaining);
        TimeVal.warp(ms);
        warp.remaining -= Math.min(ms, warp.remaining);
        if (warp.remaining > 0) {
            return false;
        }
        warp.conn.reply("warped");
        return true;
    }

    private static synchronized String show() {
        Warp warp = inProgress;
        return "monotonic time: " + TimeVal.msec() + " ms\n"
                + "clock: " + (TimeVal.isStopped() ? "stopped" : "running") + "\n"
                + "warped by: " + TimeVal.warpOffset() + " ms\n"
                + "warp in progress: " + (warp == null ? "none"
                        : warp.remaining + " ms to go in steps of " + warp.step + " ms") + "\n";
    }

    /**
     * C's atoll(): optional white space and sign, then decimal digits up to the first other
     * character; 0 if there are none. Out of range saturates, as glibc's strtoll does.
     */
    static long atoll(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isCSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        // Accumulate negatively: the range of negative longs is one larger.
        long value = 0;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            value = value * 10 - digit;
        }
        return negative ? value : (value == Long.MIN_VALUE ? Long.MAX_VALUE : -value);
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Forgets any warp in progress and undoes every stop and warp. For tests, which share one clock per JVM. */
    static synchronized void reset() {
        inProgress = null;
        TimeVal.reset();
    }
}
