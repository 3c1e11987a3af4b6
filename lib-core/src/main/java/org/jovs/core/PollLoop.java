package org.jovs.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: the only place where the main thread blocks.
 *
 * <p>Each module has a {@code run()} that does the work it can without blocking and a
 * {@code waitFor(PollLoop)} that registers what should wake the loop: an fd becoming ready
 * ({@link #fdWait}), a timer ({@link #timerWait}, {@link #timerWaitUntil}) or an immediate wake
 * ({@link #immediateWake}). Then the main loop calls {@link #block()}, which waits in poll(2) until
 * any registered event or the earliest timer, and clears every registration: registrations are
 * one-shot, so a module must register again on every iteration.
 *
 * <p>Each registration records where it was made, and the reason for every wakeup is logged at
 * debug level. An iteration (time from one wakeup to the next call of {@code block()}) of a second
 * or more logs "Unreasonably long N ms poll interval", unless the clock has ever been warped.
 *
 * <p>Times are {@link TimeVal#msec()}, which tests may stop and warp ({@link TimeWarp}): a timer
 * fires when the clock passes it, however it got there. While a stepped warp is in progress,
 * {@code block()} on the thread that started it takes the next step and then polls without
 * sleeping, so that the loop runs between steps.
 *
 * <p>Not thread-safe: one instance per thread. {@code block()} must not be re-entered; it logs,
 * and anything logging calls must never call back into {@code block()} (OVS bug #14616).
 */
public final class PollLoop {
    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;

    private static final Logger LOG = LoggerFactory.getLogger("poll_loop");
    private static final Logger TIMEVAL_LOG = LoggerFactory.getLogger("timeval");
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final Coverage.Counter POLL_CREATE_NODE = Coverage.counter("poll_create_node");
    private static final Coverage.Counter POLL_ZERO_TIMEOUT = Coverage.counter("poll_zero_timeout");
    private static final int POLLFD_SIZE = 8;
    private static final long LONG_INTERVAL_MS = 1000;
    private static final int RUSAGE_THREAD = 1;
    private static final int RUSAGE_SIZE = 144;

    private int nFds;
    private int[] fds = new int[16];
    private short[] events = new short[16];
    private String[] fdWhere = new String[16];
    private ByteBuffer pollfds = ByteBuffer.allocateDirect(16 * POLLFD_SIZE).order(ByteOrder.nativeOrder());

    /** Absolute monotonic time of the earliest timer, or Long.MAX_VALUE for none. */
    private long timeoutWhen = Long.MAX_VALUE;
    private String timeoutWhere;

    private boolean blocking;
    private long lastWakeup = -1;
    private long lastCpuUser;
    private long lastCpuSys;
    private final ByteBuffer rusage = ByteBuffer.allocateDirect(RUSAGE_SIZE).order(ByteOrder.nativeOrder());
    private int lastRevents;
    private int lastWokenFd = -1;

    /** Wakes the next {@link #block()} when 'fd' has any of 'events' (POLLIN, POLLOUT). */
    public void fdWait(int fd, int events) {
        fdWait(fd, events, null);
    }

    /** Like {@link #fdWait(int, int)}, naming the registration's origin ('where') explicitly. */
    public void fdWait(int fd, int events, String where) {
        POLL_CREATE_NODE.inc();
        for (int i = 0; i < nFds; i++) {
            if (fds[i] == fd) {
                this.events[i] |= (short) events;
                return;
            }
        }
        if (nFds == fds.length) {
            grow();
        }
        fds[nFds] = fd;
        this.events[nFds] = (short) events;
        fdWhere[nFds] = where != null ? where : caller();
        nFds++;
    }

    /** Wakes the next {@link #block()} after 'ms' milliseconds; zero or less wakes it at once. */
    public void timerWait(long ms) {
        long now = TimeVal.msec();
        timerWaitUntilAt(ms <= 0 ? now : (ms >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms), null);
    }

    /** Wakes the next {@link #block()} at monotonic time 'when' ({@link TimeVal#msec()}). */
    public void timerWaitUntil(long when) {
        timerWaitUntilAt(when, null);
    }

    /** Makes the next {@link #block()} return at once. */
    public void immediateWake() {
        timerWaitUntilAt(Long.MIN_VALUE, null);
    }

    private void timerWaitUntilAt(long when, String where) {
        if (when < timeoutWhen) {
            timeoutWhen = when;
            timeoutWhere = where != null ? where : caller();
        }
    }

    /** The fd that ended the last {@link #block()}, or -1 if a timer did. For tests and debugging. */
    public int lastWokenFd() {
        return lastWokenFd;
    }

    /** The revents of {@link #lastWokenFd()}. */
    public int lastRevents() {
        return lastRevents;
    }

    /**
     * Blocks until one of the registered events happens or the earliest timer expires, then clears
     * all registrations. With nothing registered it blocks forever, as OVS does, so a module that
     * forgets to register hangs the loop visibly rather than spinning.
     */
    public void block() {
        if (blocking) {
            throw new IllegalStateException("PollLoop.block() re-entered");
        }
        blocking = true;
        try {
            if (TimeWarp.step()) {
                timerWaitUntilAt(Long.MIN_VALUE, "time warp");
            }
            checkInterval();
            int timeout;
            long now = TimeVal.msec();
            if (timeoutWhen == Long.MAX_VALUE) {
                timeout = -1;
            } else if (timeoutWhen <= now) {
                timeout = 0;
                POLL_ZERO_TIMEOUT.inc();
            } else {
                timeout = (int) Math.min(Integer.MAX_VALUE, timeoutWhen - now);
            }

            if (pollfds.capacity() < nFds * POLLFD_SIZE) {
                pollfds = ByteBuffer.allocateDirect(fds.length * POLLFD_SIZE).order(ByteOrder.nativeOrder());
            }
            for (int i = 0; i < nFds; i++) {
                int off = i * POLLFD_SIZE;
                pollfds.putInt(off, fds[i]);
                pollfds.putShort(off + 4, events[i]);
                pollfds.putShort(off + 6, (short) 0);
            }
            int rc = Native.libc().poll(pollfds, nFds, timeout);
            int err = rc < 0 ? Native.errno() : 0;
            lastWokenFd = -1;
            lastRevents = 0;
            if (rc < 0) {
                if (err != Native.EINTR) {
                    LOG.error("poll: {}", Native.strerror(err));
                }
            } else if (rc > 0) {
                for (int i = 0; i < nFds; i++) {
                    int revents = pollfds.getShort(i * POLLFD_SIZE + 6) & 0xffff;
                    if (revents != 0) {
                        if (lastWokenFd < 0) {
                            lastWokenFd = fds[i];
                            lastRevents = revents;
                        }
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("wakeup due to [{}] on fd {} at {}", eventNames(revents), fds[i], fdWhere[i]);
                        }
                    }
                }
            } else if (LOG.isDebugEnabled()) {
                long ms = timeoutWhen == Long.MIN_VALUE ? 0 : Math.max(0, timeoutWhen - now);
                LOG.debug("wakeup due to {}-ms timeout at {}", ms, timeoutWhere);
            }
        } finally {
            clear();
            lastWakeup = TimeVal.msec();
            sampleCpu();
            blocking = false;
        }
    }

    private void clear() {
        for (int i = 0; i < nFds; i++) {
            fdWhere[i] = null;
        }
        nFds = 0;
        timeoutWhen = Long.MAX_VALUE;
        timeoutWhere = null;
    }

    private void checkInterval() {
        if (lastWakeup < 0) {
            return;
        }
        long interval = TimeVal.msec() - lastWakeup;
        // Once the clock has been warped, intervals on it say nothing about time spent, so OVS
        // gives up the check for good (log_poll_interval()).
        if (interval >= LONG_INTERVAL_MS && !TimeVal.isWarped()) {
            long user = lastCpuUser;
            long sys = lastCpuSys;
            sampleCpu();
            TIMEVAL_LOG.warn("Unreasonably long {} ms poll interval ({} ms user, {} ms system)", interval,
                    (lastCpuUser - user) / 1000, (lastCpuSys - sys) / 1000);
            Coverage.log();
        }
    }

    /** This thread's CPU time in microseconds, from getrusage(RUSAGE_THREAD): one cheap syscall. */
    private void sampleCpu() {
        if (Native.libc().getrusage(RUSAGE_THREAD, rusage) == 0) {
            lastCpuUser = rusage.getLong(0) * 1_000_000L + rusage.getLong(8);
            lastCpuSys = rusage.getLong(16) * 1_000_000L + rusage.getLong(24);
        }
    }

    private void grow() {
        int n = fds.length * 2;
        fds = java.util.Arrays.copyOf(fds, n);
        events = java.util.Arrays.copyOf(events, n);
        fdWhere = java.util.Arrays.copyOf(fdWhere, n);
    }

    private static String caller() {
        return WALKER.walk(s -> s.filter(f -> !f.getClassName().equals(PollLoop.class.getName()))
                .findFirst()
                .map(f -> f.getFileName() + ":" + f.getLineNumber())
                .orElse("unknown"));
    }

    static String eventNames(int revents) {
        StringBuilder sb = new StringBuilder();
        append(sb, revents, POLLIN, "POLLIN");
        append(sb, revents, POLLOUT, "POLLOUT");
        append(sb, revents, POLLERR, "POLLERR");
        append(sb, revents, POLLHUP, "POLLHUP");
        append(sb, revents, POLLNVAL, "POLLNVAL");
        return sb.toString();
    }

    private static void append(StringBuilder sb, int revents, int bit, String name) {
        if ((revents & bit) != 0) {
            if (sb.length() > 0) {
                sb.append(']').append('[');
            }
            sb.append(name);
        }
    }
}
