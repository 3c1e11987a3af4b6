package org.jovs.vswitchd.config;

import java.util.Map;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;

/**
 * The system statistics cycle of OVS 1.9's system-stats.c in its worker era: a four-state
 * machine, DISABLED, then WAITING for the 5 s refresh timer, REQUEST_SENT to the
 * {@link SystemStatsSource}, and REPLY_RECEIVED, whose result {@link #run()} hands out once before
 * waiting again.
 *
 * <p>Main-loop contract: {@link #run()} never blocks; {@link #waitFor(PollLoop)} sets the refresh
 * timer while WAITING and wakes at once when a reply is ready (the source wakes the loop itself
 * while a request is out). A reply to a request made before statistics were disabled is dropped.
 */
final class SystemStats {
    static final long INTERVAL_MS = 5000;

    enum State { DISABLED, WAITING, REQUEST_SENT, REPLY_RECEIVED }

    private final SystemStatsSource source;
    private State state = State.DISABLED;
    private long nextRefresh;
    private Map<String, String> received;
    /** Changes on every enable and disable, so that late replies can be recognised. */
    private int generation;

    /** A cycle gathering from 'source'; with null, statistics are never gathered. */
    SystemStats(SystemStatsSource source) {
        this.source = source;
    }

    State state() {
        return state;
    }

    boolean isEnabled() {
        return state != State.DISABLED;
    }

    /** Starts (first gathering at once) or stops the cycle. */
    void enable(boolean enable) {
        if (enable && state == State.DISABLED && source != null) {
            generation++;
            state = State.WAITING;
            nextRefresh = TimeVal.msec();
        } else if (!enable && state != State.DISABLED) {
            generation++;
            state = State.DISABLED;
            received = null;
        }
    }

    /** Sends a request when due; returns fresh statistics once when a reply has arrived, else null. */
    Map<String, String> run() {
        if (state == State.WAITING && TimeVal.msec() >= nextRefresh) {
            state = State.REQUEST_SENT;
            int sent = generation;
            source.request(stats -> {
                if (generation == sent && state == State.REQUEST_SENT) {
                    received = stats;
                    state = State.REPLY_RECEIVED;
                }
            });
        }
        if (state == State.REPLY_RECEIVED) {
            Map<String, String> stats = received;
            received = null;
            state = State.WAITING;
            nextRefresh = TimeVal.msec() + INTERVAL_MS;
            return stats;
        }
        return null;
    }

    void waitFor(PollLoop loop) {
        if (state == State.WAITING) {
            loop.timerWaitUntil(nextRefresh);
        } else if (state == State.REPLY_RECEIVED) {
            loop.immediateWake();
        }
    }
}
