package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jovs.core.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limited logging through vlog into a real log file: {@link Vlog#warnRl} and the "Dropped"
 * summary, vlog/disable-rate-limit reaching lib-core's {@link RateLimit} (the bucket itself is
 * tested in lib-core), and VLOG_ONCE.
 */
class VlogRateLimitTest {
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
    void disableRateLimitReachesCallSitesThatAdmitDirectly() throws Exception {
        RateLimit rl = new RateLimit(1, 1, () -> 0);
        VlogCommands.DISABLE_RATE_LIMIT.action().run(List.of("ratelimit_test"));
        assertTrue(VlogCommands.LIST.action().run(List.of()).contains(
                "\nratelimit_test    INFO       INFO       INFO    (rate limiting disabled)\n"));
        for (int i = 0; i < 100; i++) {
            infoAsLibCoreDoes(rl, "m" + i);
        }
        assertEquals(100, lines("ratelimit_test").size());
        VlogCommands.ENABLE_RATE_LIMIT.action().run(List.of("ANY"));
        for (int i = 0; i < 100; i++) {
            infoAsLibCoreDoes(rl, "n" + i);
        }
        assertEquals(101, lines("ratelimit_test").size(), "the burst of 1, then nothing");
    }

    /** A rate-limited call site written with SLF4J alone, as in lib-core. */
    private static void infoAsLibCoreDoes(RateLimit rl, String message) {
        if (rl.admit(LOG, org.slf4j.event.Level.INFO)) {
            LOG.info(message);
        }
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
