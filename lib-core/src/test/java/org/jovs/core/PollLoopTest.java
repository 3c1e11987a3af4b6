package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll loop against real pipes and real time. */
class PollLoopTest {
    private final int[] pipe = new int[2];
    private final PollLoop loop = new PollLoop();

    @BeforeEach
    void openPipe() {
        assertEquals(0, Native.libc().pipe2(pipe, Native.O_CLOEXEC | Native.O_NONBLOCK));
    }

    @AfterEach
    void closePipe() {
        Native.closeQuietly(pipe[0]);
        Native.closeQuietly(pipe[1]);
    }

    @Test
    void readableFdWakesTheLoop() {
        Native.libc().write(pipe[1], new byte[] {1}, 1);
        loop.fdWait(pipe[0], PollLoop.POLLIN);
        loop.timerWait(5_000);
        long start = TimeVal.msec();
        loop.block();
        assertTrue(TimeVal.msec() - start < 1_000);
        assertEquals(pipe[0], loop.lastWokenFd());
        assertTrue((loop.lastRevents() & PollLoop.POLLIN) != 0);
    }

    @Test
    void writableFdWakesTheLoop() {
        loop.fdWait(pipe[1], PollLoop.POLLOUT);
        loop.block();
        assertEquals(pipe[1], loop.lastWokenFd());
    }

    @Test
    void registrationsAreOneShot() {
        Native.libc().write(pipe[1], new byte[] {1}, 1);
        loop.fdWait(pipe[0], PollLoop.POLLIN);
        loop.block();
        assertEquals(pipe[0], loop.lastWokenFd());
        // The pipe is still readable, but nobody registered it again: only the timer can wake us.
        loop.timerWait(50);
        long start = TimeVal.msec();
        loop.block();
        assertEquals(-1, loop.lastWokenFd());
        assertTrue(TimeVal.msec() - start >= 45, "timer fired early");
    }

    @Test
    void earliestTimerWins() {
        loop.timerWait(2_000);
        loop.timerWait(30);
        loop.timerWait(1_000);
        long start = TimeVal.msec();
        loop.block();
        long took = TimeVal.msec() - start;
        assertTrue(took >= 25 && took < 900, "took " + took + " ms");
    }

    @Test
    void absoluteTimerWins() {
        loop.timerWait(2_000);
        loop.timerWaitUntil(TimeVal.msec() + 40);
        long start = TimeVal.msec();
        loop.block();
        long took = TimeVal.msec() - start;
        assertTrue(took >= 35 && took < 900, "took " + took + " ms");
    }

    @Test
    void immediateWakeDoesNotWait() {
        loop.fdWait(pipe[0], PollLoop.POLLIN);
        loop.timerWait(5_000);
        loop.immediateWake();
        long start = TimeVal.msec();
        loop.block();
        assertTrue(TimeVal.msec() - start < 100);
        assertEquals(-1, loop.lastWokenFd());
    }

    @Test
    void sameFdTwiceMergesEvents() {
        loop.fdWait(pipe[1], PollLoop.POLLIN);
        loop.fdWait(pipe[1], PollLoop.POLLOUT);
        loop.timerWait(5_000);
        loop.block();
        assertEquals(pipe[1], loop.lastWokenFd());
        assertTrue((loop.lastRevents() & PollLoop.POLLOUT) != 0);
    }

    @Test
    void hangupWakesAReader() {
        Native.closeQuietly(pipe[1]);
        pipe[1] = -1;
        loop.fdWait(pipe[0], PollLoop.POLLIN);
        loop.block();
        assertTrue((loop.lastRevents() & PollLoop.POLLHUP) != 0);
    }

    @Test
    void aLongIterationIsReportedWithItsCpuTime() {
        ch.qos.logback.classic.Logger timeval =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("timeval");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        timeval.addAppender(appender);
        try {
            loop.immediateWake();
            loop.block();
            loop.immediateWake();
            loop.block();
            assertEquals(0, appender.list.size(), "a short iteration was reported");

            // An iteration that computes for over a second, as a runaway module would.
            long end = TimeVal.msec() + 1_100;
            long spin = 0;
            while (TimeVal.msec() < end) {
                spin++;
            }
            loop.immediateWake();
            loop.block();
            assertEquals(1, appender.list.size(), "spun " + spin);
            String msg = appender.list.get(0).getFormattedMessage();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("Unreasonably long (\\d+) ms poll interval \\((\\d+) ms user, (\\d+) ms system\\)")
                    .matcher(msg);
            assertTrue(m.matches(), msg);
            assertTrue(Long.parseLong(m.group(1)) >= 1_000, msg);
            assertTrue(Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) >= 500, "CPU time too low: " + msg);
        } finally {
            timeval.detachAppender(appender);
        }
    }

    @Test
    void reentryIsRefused() {
        // A log appender that ends up in block() again is exactly OVS bug #14616.
        PollLoop inner = loop;
        assertThrows(IllegalStateException.class, () -> {
            try {
                java.lang.reflect.Field f = PollLoop.class.getDeclaredField("blocking");
                f.setAccessible(true);
                f.setBoolean(inner, true);
                inner.block();
            } finally {
                java.lang.reflect.Field f = PollLoop.class.getDeclaredField("blocking");
                f.setAccessible(true);
                f.setBoolean(inner, false);
            }
        });
    }
}
