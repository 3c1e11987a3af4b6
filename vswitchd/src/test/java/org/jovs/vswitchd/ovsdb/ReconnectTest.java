package org.jovs.vswitchd.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jovs.core.natives.Native;
import org.jovs.vswitchd.ovsdb.Reconnect.Action;
import org.junit.jupiter.api.Test;

/** The reconnect state machine on a simulated clock, against OVS's reconnect.c behaviour. */
class ReconnectTest {
    @Test
    void connectsAtOnceWhenEnabled() {
        Reconnect r = new Reconnect("unix:x", 1000);
        assertEquals(Action.NONE, r.run(1000));
        r.enable(1000);
        assertEquals(Action.CONNECT, r.run(1000));
        r.connected(1000);
        assertTrue(r.isConnected());
        assertEquals(Action.NONE, r.run(100_000));
    }

    @Test
    void backoffDoublesToTheMaximumOnRepeatedFailures() {
        Reconnect r = new Reconnect("unix:x", 0);
        r.enable(0);
        long now = 0;
        long[] expected = {1000, 2000, 4000, 8000, 8000, 8000};
        for (long backoff : expected) {
            assertEquals(Action.CONNECT, r.run(now));
            r.connectFailed(now, Native.ECONNREFUSED);
            assertEquals(backoff, r.backoff());
            assertEquals(Action.NONE, r.run(now + backoff - 1));
            now += backoff;
        }
    }

    @Test
    void aConnectionThatLastedStartsOverFromTheShortestBackoff() {
        Reconnect r = new Reconnect("unix:x", 0);
        r.enable(0);
        r.connectFailed(0, Native.ECONNREFUSED);
        r.connectFailed(1000, Native.ECONNREFUSED);
        assertEquals(2000, r.backoff());
        r.connected(3000);
        int seq = r.connectionSeqno();
        r.activity(10_000);
        r.disconnected(20_000, Reconnect.EOF);
        assertFalse(r.isConnected());
        assertTrue(r.connectionSeqno() != seq);
        assertEquals(1000, r.backoff());
        assertEquals(Action.NONE, r.run(20_999));
        assertEquals(Action.CONNECT, r.run(21_000));
    }

    @Test
    void attemptTimesOutAfterOneSecond() {
        Reconnect r = new Reconnect("tcp:1.2.3.4", 0);
        r.enable(0);
        r.connecting(0);
        assertEquals(Action.NONE, r.run(999));
        assertEquals(Action.DISCONNECT, r.run(1000));
    }

    @Test
    void idleConnectionIsProbedThenDropped() {
        Reconnect r = new Reconnect("tcp:1.2.3.4", 0);
        r.setProbeInterval(5000);
        r.enable(0);
        r.connected(0);
        r.receiveAttempted(4000);
        assertEquals(Action.NONE, r.run(4999));
        r.receiveAttempted(5000);
        assertEquals(Action.PROBE, r.run(5000));
        r.receiveAttempted(9000);
        assertEquals(Action.NONE, r.run(9000));
        r.receiveAttempted(10_000);
        assertEquals(Action.DISCONNECT, r.run(10_000));
    }

    @Test
    void activityAnswersTheProbe() {
        Reconnect r = new Reconnect("tcp:1.2.3.4", 0);
        r.setProbeInterval(5000);
        r.enable(0);
        r.connected(0);
        r.receiveAttempted(5000);
        assertEquals(Action.PROBE, r.run(5000));
        r.activity(6000);
        r.receiveAttempted(10_000);
        assertEquals(Action.NONE, r.run(10_000));
        assertTrue(r.isConnected());
    }

    @Test
    void forceReconnectDisconnectsAtOnce() {
        Reconnect r = new Reconnect("unix:x", 0);
        r.enable(0);
        r.connected(0);
        r.forceReconnect(50);
        assertEquals(Action.DISCONNECT, r.run(50));
    }

    @Test
    void secondsAreFormattedAsPercentThreeG() {
        assertEquals("1", Reconnect.seconds(1000));
        assertEquals("2", Reconnect.seconds(2000));
        assertEquals("1.5", Reconnect.seconds(1500));
        assertEquals("10", Reconnect.seconds(10_000));
    }
}
