package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The token bucket on a scripted clock, and {@link RateLimit#admit} on a real Logback logger
 * (lib-core's test logging): the "Dropped" summary and messages below the logger's level. How
 * vlog/disable-rate-limit reaches call sites is tested in lib-vlog, which installs the policy.
 */
class RateLimitTest {
    @Test
    void bucketStartsFullRefillsAtRatePerMinuteAndNeverBeyondTheBurst() {
        RateLimit rl = new RateLimit(5, 10);
        long t = 1_000_000;
        for (int i = 0; i < 10; i++) {
            assertEquals("", rl.withdraw(t), "burst of 10");
        }
        assertNull(rl.withdraw(t));
        assertNull(rl.withdraw(t + 11_999), "5 per minute = one per 12 s");
        assertEquals("Dropped 2 log messages in last 12 seconds (most recently, 1 seconds ago) "
                + "due to excessive rate", rl.withdraw(t + 12_000));
        assertNull(rl.withdraw(t + 12_000));
        long later = t + 3_600_000;
        assertEquals("Dropped 1 log messages in last 3588 seconds (most recently, 3588 seconds "
                + "ago) due to excessive rate", rl.withdraw(later), "the count starts again");
        for (int i = 1; i < 10; i++) {
            assertEquals("", rl.withdraw(later), "refilled up to the burst");
        }
        assertNull(rl.withdraw(later), "never beyond the burst");
    }

    @Test
    void clockGoingBackwardsGivesNothingExtra() {
        RateLimit rl = new RateLimit(1, 1);
        assertEquals("", rl.withdraw(100_000));
        assertNull(rl.withdraw(50_000));
        assertNull(rl.withdraw(100_000));
    }

    @Test
    void admittedMessageAfterDropsIsPrecededByTheSummaryOnTheSameLoggerLevelAndMarker() {
        AtomicLong clock = new AtomicLong(7_000_000);
        RateLimit rl = new RateLimit(1, 1, clock::get);
        Marker marker = MarkerFactory.getMarker("RATELIMIT_TEST");
        withCapturedLogger("ratelimit_test_summary", ch.qos.logback.classic.Level.INFO, (log, events) -> {
            assertTrue(rl.admit(log, Level.ERROR, marker));
            assertFalse(rl.admit(log, Level.ERROR, marker));
            clock.addAndGet(5_000);
            assertFalse(rl.admit(log, Level.ERROR, marker));
            assertTrue(events.isEmpty(), "admit logs nothing but the summary");
            clock.addAndGet(55_000);
            assertTrue(rl.admit(log, Level.ERROR, marker));
            assertEquals(1, events.size());
            ILoggingEvent e = events.get(0);
            assertEquals("Dropped 2 log messages in last 60 seconds (most recently, 55 seconds ago) "
                    + "due to excessive rate", e.getFormattedMessage());
            assertEquals("ratelimit_test_summary", e.getLoggerName());
            assertEquals(ch.qos.logback.classic.Level.ERROR, e.getLevel());
            assertEquals(List.of(marker), e.getMarkerList());
        });
    }

    @Test
    void messagesBelowTheLoggersLevelAreNeitherAdmittedNorCounted() {
        RateLimit rl = new RateLimit(1, 1, () -> 0);
        withCapturedLogger("ratelimit_test_level", ch.qos.logback.classic.Level.INFO, (log, events) -> {
            for (int i = 0; i < 5; i++) {
                assertFalse(rl.admit(log, Level.DEBUG));
            }
            assertTrue(rl.admit(log, Level.WARN), "no tokens were spent on debug messages");
            assertTrue(events.isEmpty(), "no summary: nothing was counted as dropped");
        });
    }

    /** Runs 'body' on logger 'name' at 'level', its events captured instead of printed. */
    private static void withCapturedLogger(String name, ch.qos.logback.classic.Level level,
                                           BiConsumer<org.slf4j.Logger, List<ILoggingEvent>> body) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.setLevel(level);
        logger.setAdditive(false);
        logger.addAppender(appender);
        try {
            body.accept(logger, appender.list);
        } finally {
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
    }
}
