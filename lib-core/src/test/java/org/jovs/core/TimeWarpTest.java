package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jovs.core.unixctl.Appctl;
import org.jovs.core.unixctl.RawClient;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.core.unixctl.UnixctlTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * time/stop, time/warp and time/show: through the real ovs-appctl for what clients see, and with
 * the server and a poll loop run step by step on this thread for what the main loop sees.
 */
class TimeWarpTest {
    private static final String WARP_USAGE_ERROR = "invalid MSECS\n";

    @AfterEach
    void resetClock() {
        // The clock is per JVM: leave it running true for the next test class.
        TimeWarp.reset();
    }

    @Test
    void stopFreezesTheClockAndRepliesNothing() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(TimeWarp::registerCommands)) {
            assertEquals(new Appctl.Result(0, "", ""), Appctl.run(s.path(), "time/stop"));
            long frozen = TimeVal.msec();
            long sinceStart = TimeVal.sinceStart();
            long realStart = TimeVal.realMsec();
            Thread.sleep(30);
            assertTrue(TimeVal.realMsec() - realStart >= 30);
            assertEquals(frozen, TimeVal.msec());
            // vlog's %r follows the monotonic clock, as in OVS; the wall clock keeps going.
            assertEquals(sinceStart, TimeVal.sinceStart());
            long wall = TimeVal.wallMsec();
            Thread.sleep(5);
            assertTrue(TimeVal.wallMsec() > wall);
        }
    }

    @Test
    void warpAdvancesAStoppedClockExactly() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(TimeWarp::registerCommands)) {
            Appctl.run(s.path(), "time/stop");
            long before = TimeVal.msec();
            long sinceStart = TimeVal.sinceStart();
            assertEquals(new Appctl.Result(0, "warped\n", ""), Appctl.run(s.path(), "time/warp", "1000"));
            assertEquals(before + 1000, TimeVal.msec());
            assertEquals(sinceStart + 1000, TimeVal.sinceStart());
            assertEquals(new Appctl.Result(0, "warped\n", ""), Appctl.run(s.path(), "time/warp", "5000", "100"));
            assertEquals(before + 6000, TimeVal.msec());
        }
    }

    @Test
    void warpWorksWithoutStopAndLeavesTheClockRunning() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(TimeWarp::registerCommands)) {
            long wallBefore = TimeVal.wallMsec();
            long realBefore = TimeVal.realMsec();
            long before = TimeVal.msec();
            assertEquals(new Appctl.Result(0, "warped\n", ""), Appctl.run(s.path(), "time/warp", "100000000"));
            long after = TimeVal.msec();
            assertTrue(after - before >= 100_000_000, "warped only " + (after - before));
            // Only the monotonic clock moves: the real one and the wall clock stay true.
            assertTrue(TimeVal.realMsec() - realBefore < 100_000_000);
            assertTrue(TimeVal.wallMsec() - wallBefore < 100_000_000);
            Thread.sleep(30);
            assertTrue(TimeVal.msec() - after >= 30, "the warped clock stopped running");
        }
    }

    @Test
    void badArgumentsGetOvsErrors() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(TimeWarp::registerCommands)) {
            Appctl.Result none = Appctl.run(s.path(), "time/warp");
            assertEquals(2, none.status());
            assertTrue(none.stderr().startsWith("\"time/warp\" command requires at least 1 arguments\n"),
                    none.stderr());
            Appctl.Result many = Appctl.run(s.path(), "time/warp", "1", "2", "3");
            assertTrue(many.stderr().startsWith("\"time/warp\" command takes at most 2 arguments\n"), many.stderr());
            Appctl.Result stopArg = Appctl.run(s.path(), "time/stop", "x");
            assertTrue(stopArg.stderr().startsWith("\"time/stop\" command takes at most 0 arguments\n"),
                    stopArg.stderr());

            long before = TimeVal.msec();
            for (String[] args : new String[][] {{"0"}, {"-5"}, {"abc"}, {""}, {"-1", "100"}, {"100", "0"},
                    {"100", "x"}}) {
                String[] cmd = new String[args.length + 1];
                cmd[0] = "time/warp";
                System.arraycopy(args, 0, cmd, 1, args.length);
                Appctl.Result r = Appctl.run(s.path(), cmd);
                assertEquals(2, r.status(), String.join(" ", cmd));
                assertEquals(WARP_USAGE_ERROR + "ovs-appctl: " + s.path() + ": server returned an error\n",
                        r.stderr(), String.join(" ", cmd));
            }
            // Nothing was warped by the refusals (the clock runs, so allow for real time).
            assertTrue(TimeVal.msec() - before < 100_000, "a refused warp moved the clock");
        }
    }

    @Test
    void argumentsAreReadAsAtollReadsThem() {
        assertEquals(42, TimeWarp.atoll(" \t42abc"));
        assertEquals(7, TimeWarp.atoll("+7"));
        assertEquals(-3, TimeWarp.atoll("-3"));
        assertEquals(0, TimeWarp.atoll(""));
        assertEquals(0, TimeWarp.atoll("x1"));
        assertEquals(0, TimeWarp.atoll("- 1"));
        assertEquals(Long.MAX_VALUE, TimeWarp.atoll("9223372036854775807"));
        assertEquals(Long.MAX_VALUE, TimeWarp.atoll("9223372036854775808"));
        assertEquals(Long.MAX_VALUE, TimeWarp.atoll("99999999999999999999999"));
        assertEquals(Long.MIN_VALUE, TimeWarp.atoll("-9223372036854775808"));
        assertEquals(Long.MIN_VALUE, TimeWarp.atoll("-99999999999999999999999"));
    }

    @Test
    void aTimerTenSecondsAheadFiresAfterAWarpWithoutWaitingForIt() throws Exception {
        try (OnThisThread t = new OnThisThread()) {
            TimeVal.stop();
            long realStart = TimeVal.realMsec();
            long deadline = TimeVal.msec() + 10_000;
            t.client.send(request("time/warp", "10000"));
            boolean fired = false;
            // As in ovs-vswitchd, the module with the timer runs before the unixctl server.
            for (int i = 0; i < 10; i++) {
                if (TimeVal.msec() >= deadline) {
                    fired = true;
                    break;
                }
                t.server.run();
                t.server.waitFor(t.loop);
                t.loop.timerWaitUntil(deadline);
                t.loop.block();
            }
            assertTrue(fired, "the timer never fired");
            assertEquals(-1, t.loop.lastWokenFd(), "the last wakeup was not the timer's");
            assertTrue(TimeVal.realMsec() - realStart < 5_000, "waited for real time");
            assertEquals("warped\n", t.client.readReply().get("result"));
        }
    }

    @Test
    void aSteppedWarpRunsTheLoopBetweenStepsAndRepliesAtTheEnd() throws Exception {
        try (OnThisThread t = new OnThisThread()) {
            TimeVal.stop();
            long base = TimeVal.msec();
            t.client.send(request("time/warp", "4500", "1000"));
            List<Long> seenByRun = new ArrayList<>();
            Map<String, Object> reply = null;
            for (int i = 0; i < 20 && reply == null; i++) {
                if (t.client.available()) {
                    reply = t.client.readReply();
                    break;
                }
                t.server.run();
                seenByRun.add(TimeVal.msec() - base);
                t.server.waitFor(t.loop);
                // A module's timer must not make the loop sleep through the warp.
                t.loop.timerWait(2_000);
                long realStart = TimeVal.realMsec();
                t.loop.block();
                assertTrue(TimeVal.realMsec() - realStart < 1_500, "the loop slept during the warp");
            }
            assertEquals("warped\n", reply == null ? null : reply.get("result"));
            // Every step is seen by a run() before the next one; the reply comes after the last.
            assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L), seenByRun);
            assertEquals(base + 4500, TimeVal.msec());
        }
    }

    @Test
    void aSecondWarpWhileOneIsInProgressIsRefused() throws Exception {
        try (OnThisThread t = new OnThisThread(); RawClient second = new RawClient(t.server.path())) {
            TimeVal.stop();
            long base = TimeVal.msec();
            t.client.send(request("time/warp", "1000", "100"));
            t.server.run();
            second.send(request("time/warp", "100"));
            t.server.run();
            Map<String, Object> refused = second.readReply();
            assertEquals("A previous warp in progress\n", refused.get("error"));
            assertEquals(base, TimeVal.msec());
            assertEquals("monotonic time: " + base + " ms\nclock: stopped\nwarped by: 0 ms\n"
                    + "warp in progress: 1000 ms to go in steps of 100 ms\n", show(t, second));
        }
    }

    @Test
    void showReportsTheClockAndIsNotListed() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(TimeWarp::registerCommands)) {
            Appctl.run(s.path(), "time/stop");
            Appctl.run(s.path(), "time/warp", "250");
            assertEquals(new Appctl.Result(0, "monotonic time: " + TimeVal.msec() + " ms\nclock: stopped\n"
                    + "warped by: 250 ms\nwarp in progress: none\n", ""), Appctl.run(s.path(), "time/show"));
            String list = Appctl.run(s.path(), "list-commands").stdout();
            assertTrue(list.contains("  time/warp               [large_msecs] msecs\n"), list);
            assertTrue(list.contains("  time/stop"), list);
            assertFalse(list.contains("time/show"), list);
        }
    }

    @Test
    void aWarpIsNotAnUnreasonablyLongPollInterval() {
        ch.qos.logback.classic.Logger timeval =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("timeval");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        timeval.addAppender(appender);
        try {
            PollLoop loop = new PollLoop();
            loop.immediateWake();
            loop.block();
            TimeVal.warp(5_000);
            loop.immediateWake();
            loop.block();
            assertEquals(List.of(), appender.list);
        } finally {
            timeval.detachAppender(appender);
        }
    }

    private static String show(OnThisThread t, RawClient client) throws Exception {
        client.send(request("time/show"));
        t.server.run();
        return (String) client.readReply().get("result");
    }

    private static String request(String method, String... params) {
        StringBuilder sb = new StringBuilder("{\"method\":\"").append(method).append("\",\"params\":[");
        for (int i = 0; i < params.length; i++) {
            sb.append(i > 0 ? "," : "").append('"').append(params[i]).append('"');
        }
        return sb.append("],\"id\":1}").toString();
    }

    /** A server, a connected client and a poll loop, all driven by the test's own thread. */
    private static final class OnThisThread implements AutoCloseable {
        final Path dir;
        final UnixctlServer server;
        final RawClient client;
        final PollLoop loop = new PollLoop();

        OnThisThread() throws Exception {
            dir = Files.createTempDirectory("jovs-timewarp");
            server = UnixctlServer.create("t.ctl", dir.toString(), "jovs-test", "v");
            TimeWarp.registerCommands(server);
            client = new RawClient(server.path());
        }

        @Override
        public void close() throws Exception {
            client.close();
            server.close();
            Files.deleteIfExists(dir);
        }
    }
}
