package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket behind rate-limited log messages, on a scripted clock. */
class RateLimitTest {
    @Test
    void burstThenRatePerMinute() {
        RateLimit rl = new RateLimit(2, 3);
        long t = 1_000_000;
        assertTrue(rl.allow(t));
        assertTrue(rl.allow(t));
        assertTrue(rl.allow(t));
        assertFalse(rl.allow(t), "burst of 3 exceeded");
        assertFalse(rl.allow(t + 29_999));
        assertTrue(rl.allow(t + 30_000), "2 per minute: one every 30 s");
        assertFalse(rl.allow(t + 30_000));
        // A long quiet spell refills only up to the burst.
        long later = t + 3_600_000;
        assertTrue(rl.allow(later));
        assertTrue(rl.allow(later));
        assertTrue(rl.allow(later));
        assertFalse(rl.allow(later));
    }

    @Test
    void clockGoingBackwardsGivesNothingExtra() {
        RateLimit rl = new RateLimit(1, 1);
        assertTrue(rl.allow(100_000));
        assertFalse(rl.allow(50_000));
        assertFalse(rl.allow(100_000));
    }
}
