package org.jovs.vswitchd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jovs.core.PollLoop;
import org.junit.jupiter.api.Test;

/**
 * The system statistics cycle: DISABLED, WAITING, REQUEST_SENT, REPLY_RECEIVED. The source here
 * is a fake that holds requests until the test answers them: the worker process that gathers the
 * statistics in the daemon is not part of this module.
 */
class SystemStatsTest {
    private final List<Consumer<Map<String, String>>> pending = new ArrayList<>();
    private final SystemStats stats = new SystemStats(pending::add);

    @Test
    void requestsWhenEnabledAndHandsOutTheReplyOnce() {
        assertEquals(SystemStats.State.DISABLED, stats.state());
        assertNull(stats.run());
        assertEquals(0, pending.size());

        stats.enable(true);
        assertEquals(SystemStats.State.WAITING, stats.state());
        assertNull(stats.run());
        assertEquals(SystemStats.State.REQUEST_SENT, stats.state());
        assertEquals(1, pending.size());
        // No second request while one is out.
        assertNull(stats.run());
        assertEquals(1, pending.size());

        pending.remove(0).accept(Map.of("cpu", "2"));
        assertEquals(SystemStats.State.REPLY_RECEIVED, stats.state());
        PollLoop loop = new PollLoop();
        stats.waitFor(loop);
        loop.block();
        assertEquals(Map.of("cpu", "2"), stats.run());
        assertEquals(SystemStats.State.WAITING, stats.state());
        // The next request waits for the 5 s interval.
        assertNull(stats.run());
        assertEquals(0, pending.size());
    }

    @Test
    void replyAfterDisablingIsDropped() {
        stats.enable(true);
        stats.run();
        stats.enable(false);
        pending.remove(0).accept(Map.of("cpu", "2"));
        assertEquals(SystemStats.State.DISABLED, stats.state());
        assertNull(stats.run());
        // Enabled again, a late reply to the old request still does not count.
        stats.enable(true);
        stats.run();
        assertEquals(SystemStats.State.REQUEST_SENT, stats.state());
        pending.remove(0).accept(Map.of("cpu", "4"));
        assertEquals(Map.of("cpu", "4"), stats.run());
    }
}
