package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.core.unixctl.Appctl;
import org.jovs.core.unixctl.UnixctlTestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** coverage/show and coverage/read-counter through the real ovs-appctl, and the rate history. */
class CoverageTest {
    private static final Pattern HEADER = Pattern.compile(
            "Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=[0-9a-f]{8}:");
    // The fixed-width columns of OVS's "%-24s %5.1f/sec %9.3f/sec %13.4f/sec   total: %llu".
    private static final Pattern COUNTER = Pattern.compile(
            "(.{24}) ([ 0-9.]{4}\\d)/sec ([ 0-9.]{8}\\d)/sec ([ 0-9.]{12}\\d)/sec   total: (\\d+)");
    private static final Pattern NEVER_HIT = Pattern.compile("(\\d+) events never hit");

    @Test
    void coverageShowListsCountersThatWereHitInOvsFormat() throws Exception {
        Coverage.Counter hit = Coverage.counter("test_show_hit");
        Coverage.Counter never = Coverage.counter("test_show_never_hit");
        hit.add(7);
        try (UnixctlTestServer s = new UnixctlTestServer(Coverage::registerCommands)) {
            Appctl.Result r = Appctl.run(s.path(), "coverage/show");
            assertEquals(0, r.status(), r.stderr());
            assertTrue(r.stdout().endsWith("\n"));
            List<String> lines = List.of(r.stdout().split("\n"));
            assertTrue(HEADER.matcher(lines.get(0)).matches(), lines.get(0));
            Map<String, Long> totals = new HashMap<>();
            for (String line : lines.subList(1, lines.size() - 1)) {
                Matcher m = COUNTER.matcher(line);
                assertTrue(m.matches(), line);
                totals.put(m.group(1).trim(), Long.parseLong(m.group(5)));
            }
            assertEquals(7L, totals.get("test_show_hit"));
            assertFalse(totals.containsKey(never.name()));
            assertTrue(totals.get("unixctl_received") >= 1, "this very request was counted");
            Matcher m = NEVER_HIT.matcher(lines.get(lines.size() - 1));
            assertTrue(m.matches(), lines.get(lines.size() - 1));
            int counters = 0;
            for (Coverage.Counter ignored : Coverage.all()) {
                counters++;
            }
            assertEquals(counters - totals.size(), Integer.parseInt(m.group(1)));
            assertTrue(Integer.parseInt(m.group(1)) >= 1);
        }
    }

    @Test
    void readCounterRepliesOneTotalOrAnError() throws Exception {
        Coverage.counter("test_read_counter").add(42);
        try (UnixctlTestServer s = new UnixctlTestServer(Coverage::registerCommands)) {
            assertEquals(new Appctl.Result(0, "42\n", ""), Appctl.run(s.path(), "coverage/read-counter",
                    "test_read_counter"));
            Appctl.Result r = Appctl.run(s.path(), "coverage/read-counter", "test_no_such_counter");
            assertEquals(2, r.status());
            assertTrue(r.stderr().startsWith("No such counter\n"), r.stderr());
        }
    }

    @Test
    void ratesAverageOverFiveSecondsMinuteAndHourAndSpreadLateSnapshots() {
        Coverage.Counter c = Coverage.counter("test_coverage_rates");
        // Move the shared snapshot clock to a point of our choosing, then warp past it.
        Coverage.runAt(TimeVal.msec());
        long t = Coverage.nextRunTime();
        Coverage.runAt(t);
        c.add(50);
        Coverage.runAt(t + 5_000);
        assertEquals("test_coverage_rates       10.0/sec     0.833/sec        0.0139/sec   total: 50", lineFor(c));
        // Ten seconds late: three 5-second slots share the 30 new events, 10 each.
        c.add(30);
        Coverage.runAt(t + 20_000);
        assertEquals("test_coverage_rates        2.0/sec     1.333/sec        0.0222/sec   total: 80", lineFor(c));
        assertEquals(t + 25_000, Coverage.nextRunTime());
    }

    @Test
    void logWritesTheLinesOnceThenOnlyTheHashForTheSameEvents() {
        Logger logger = (Logger) LoggerFactory.getLogger("coverage");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            // A total no other test uses makes a hash that was never logged.
            Coverage.counter("test_log_" + System.nanoTime()).add(1234567);
            // Far in the future, so that the rate limit has refilled whatever happened before.
            long now = TimeVal.msec() + 3_600_000;
            Coverage.logAt(now);
            List<String> first = messages(appender);
            assertEquals(Coverage.read(), first);
            appender.list.clear();
            Coverage.logAt(now);
            String hash = first.get(0).replaceAll(".*hash=([0-9a-f]{8}):$", "$1");
            assertEquals(List.of("Skipping details of duplicate event coverage for hash=" + hash),
                    messages(appender));
            appender.list.clear();
            // The burst of 3 is used up: nothing more this minute.
            Coverage.logAt(now);
            Coverage.logAt(now);
            assertEquals(1, messages(appender).size());
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String lineFor(Coverage.Counter c) {
        return Coverage.read().stream().filter(l -> l.startsWith(c.name() + " ")).findFirst().orElseThrow();
    }
}
