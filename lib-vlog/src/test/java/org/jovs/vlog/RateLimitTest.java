package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token bucket on its own with a fake clock, and through SLF4J into a real log file: the
 * lines that come out, the "Dropped" summary, vlog/disable-rate-limit and VLOG_ONCE.
 */
class RateLimitTest {
    private static final Logger LOG = LoggerFactory.getLogger("ratelimit_test");

    @TempDir
    Path dir;
    private TestEngine t;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestEngine();
        t.engine.setVerbosity("PATTERN:file:%c|%p|%m");
        file = dir.resolve("rl.log");
        t.engine.setLogFile(file.toString());
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    /** The file's lines from 'module', without the "opened log file" line. */
    private List<String> lines(String module) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(module + "|"))
                .collect(Collectors.toList());
    }

    @Test
    void bucketStartsFullAndRefillsAtRatePerMinute() {
        AtomicLong clock = new AtomicLong(1_000_000);
        RateLimit rl = new RateLimit(5, 10, clock::get);
        for (int i = 0; i < 10; i++) {
            assertEquals("", rl.admit(), "burst of 10");
        }
        assertNull(rl.admit());
        clock.addAndGet(11_999);
        assertNull(rl.admit(), "5 per minute = one per 12 s");
        clock.addAndGet(1);
        assertEquals("Dropped 2 log messages in last 12 seconds (most recently, 1 seconds ago) "
                + "due to excessive rate", rl.admit());
        assertNull(rl.admit());
        clock.addAndGet(10 * 60_000);
        for (int i = 0; i < 10; i++) {
            assertTrue(rl.admit() != null, "refilled up to the burst");
        }
        assertNull(rl.admit(), "never beyond the burst");
    }

    @Test
    void summaryCountsSecondsSinceFirstAndLastDrop() {
        AtomicLong clock = new AtomicLong(0);
        RateLimit rl = new RateLimit(5, 10, clock::get);
        int passed = 0;
        for (int i = 0; i < 10_000; i++) {
            clock.set(i);              // one call per ms for 10 s
            if (rl.admit() != null) {
                passed++;
            }
        }
        assertEquals(10, passed);
        clock.set(22_000);
        assertEquals("Dropped 9990 log messages in last 22 seconds (most recently, 13 seconds ago)"
                + " due to excessive rate", rl.admit());
    }

    @Test
    void tenThousandWarningsGiveTenLinesThenOneSummary() throws Exception {
        AtomicLong clock = new AtomicLong(5_000_000);
        RateLimit rl = new RateLimit(5, 10, clock::get);
        for (int i = 0; i < 10_000; i++) {
            Vlog.warnRl(LOG, rl, "warning {}", i);
        }
        List<String> lines = lines("ratelimit_test");
        assertEquals(10, lines.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("ratelimit_test|WARN|warning " + i, lines.get(i));
        }
        clock.addAndGet(12_000);
        Vlog.warnRl(LOG, rl, "warning {}", 10_000);
        lines = lines("ratelimit_test");
        assertEquals(12, lines.size());
        assertEquals("ratelimit_test|WARN|Dropped 9990 log messages in last 12 seconds (most "
                + "recently, 12 seconds ago) due to excessive rate", lines.get(10));
        assertEquals("ratelimit_test|WARN|warning 10000", lines.get(11));
    }

    @Test
    void disabledRateLimitsLetEverythingThrough() throws Exception {
        RateLimit rl = new RateLimit(1, 1, () -> 0);
        VlogCommands.DISABLE_RATE_LIMIT.action().run(List.of("ratelimit_test"));
        assertTrue(VlogCommands.LIST.action().run(List.of()).contains(
                "\nratelimit_test    INFO       INFO       INFO    (rate limiting disabled)\n"));
        for (int i = 0; i < 100; i++) {
            Vlog.infoRl(LOG, rl, "m{}", i);
        }
        assertEquals(100, lines("ratelimit_test").size());
        VlogCommands.ENABLE_RATE_LIMIT.action().run(List.of("ANY"));
        for (int i = 0; i < 100; i++) {
            Vlog.infoRl(LOG, rl, "n{}", i);
        }
        assertEquals(101, lines("ratelimit_test").size(), "the burst of 1, then nothing");
    }

    @Test
    void disabledLevelsDropWithoutSpendingTokens() throws Exception {
        RateLimit rl = new RateLimit(1, 1, () -> 0);
        for (int i = 0; i < 5; i++) {
            Vlog.dbgRl(LOG, rl, "debug {}", i);
        }
        Vlog.errRl(LOG, rl, "error");
        assertEquals(List.of("ratelimit_test|ERR|error"), lines("ratelimit_test"),
                "no summary: messages below the level are not counted as dropped");
    }

    @Test
    void onceLogsOnlyTheFirstTime() throws Exception {
        Once once = new Once();
        for (int i = 0; i < 3; i++) {
            Vlog.logOnce(LOG, Level.WARN, once, "only once ({})", i);
        }
        assertEquals(List.of("ratelimit_test|WARN|only once (0)"), lines("ratelimit_test"));
    }
}
