package org.jovs.vswitchd.ovsdb;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconnection state machine of an active client connection, as OVS's lib/reconnect.c: it
 * decides when to connect, how long to back off after a failure (1 s doubling to 8 s by
 * default), and when an idle connection needs an inactivity probe or must be dropped.
 *
 * <p>Pure logic, no I/O: the owner reports what happened ({@link #connecting}, {@link #connected},
 * {@link #disconnected}, {@link #activity}, {@link #receiveAttempted}) with the current monotonic
 * time, and asks {@link #run} what to do next. Every method takes 'now' so that tests can drive
 * time. Log messages are OVS's, under the "reconnect" module.
 */
public final class Reconnect {
    private static final Logger LOG = LoggerFactory.getLogger("reconnect");

    /** What {@link #run} asks the owner to do. */
    public enum Action {
        NONE,
        /** Start a connection attempt, then report {@link #connecting} or a failure. */
        CONNECT,
        /** Close the connection (or abandon the attempt), then report {@link #disconnected}. */
        DISCONNECT,
        /** Send an inactivity probe (an echo request). */
        PROBE
    }

    enum State { VOID, BACKOFF, CONNECTING, ACTIVE, IDLE, RECONNECT }

    /** Passed to {@link #disconnected} when the peer closed the connection. */
    public static final int EOF = -1;

    private final String name;
    private long minBackoff = 1000;
    private long maxBackoff = 8000;
    private long probeInterval;

    private State state = State.VOID;
    private long stateEntered;
    private long backoff;
    private long lastActivity;
    private long lastConnected = Long.MAX_VALUE;
    private long lastDisconnected = Long.MAX_VALUE;
    private long lastReceiveAttempt = Long.MAX_VALUE;
    private int connectionSeqno;

    /** A machine for the connection called 'name' (used in log messages), initially disabled. */
    public Reconnect(String name, long now) {
        this.name = name;
        this.stateEntered = now;
        this.lastActivity = now;
    }

    public String name() {
        return name;
    }

    /** Sets the back-off bounds in ms (OVS defaults: 1000 and 8000). */
    public void setBackoff(long min, long max) {
        minBackoff = Math.max(min, 0);
        maxBackoff = Math.max(max, minBackoff);
        if (state == State.BACKOFF && backoff > maxBackoff) {
            backoff = maxBackoff;
        }
    }

    /** Idle time in ms before a probe is sent (0 disables probes, as for unix: streams). */
    public void setProbeInterval(long ms) {
        probeInterval = ms == 0 ? 0 : Math.max(ms, 1000);
    }

    /** Starts trying to connect, at once, if disabled. */
    public void enable(long now) {
        if (state == State.VOID) {
            backoff = 0;
            transition(now, State.BACKOFF);
        }
    }

    /** Stops trying; any connection should be closed by the owner. */
    public void disable(long now) {
        if (state != State.VOID) {
            transition(now, State.VOID);
        }
    }

    /** Drops a live connection and reconnects at once (bridge/reconnect, lost lock...). */
    public void forceReconnect(long now) {
        if (state == State.CONNECTING || state == State.ACTIVE || state == State.IDLE) {
            transition(now, State.RECONNECT);
        }
    }

    /** A connection attempt has started and is in progress. */
    public void connecting(long now) {
        if (state != State.CONNECTING) {
            if (backoff < maxBackoff) {
                LOG.info("{}: connecting...", name);
            }
            transition(now, State.CONNECTING);
        }
    }

    /** The connection is established. */
    public void connected(long now) {
        if (!isConnected()) {
            connecting(now);
            LOG.info("{}: connected", name);
            transition(now, State.ACTIVE);
            lastConnected = now;
        }
    }

    /** A connection attempt failed with errno 'error' (positive). */
    public void connectFailed(long now, int error) {
        connecting(now);
        disconnected(now, error);
    }

    /**
     * The connection (or attempt) ended: 'error' is a positive errno, {@link #EOF} if the peer
     * closed it, or 0 if we closed it on purpose.
     */
    public void disconnected(long now, int error) {
        if (state == State.BACKOFF || state == State.VOID) {
            return;
        }
        boolean wasConnected = state == State.ACTIVE || state == State.IDLE;
        if (wasConnected) {
            if (error > 0) {
                LOG.warn("{}: connection dropped ({})", name, Native.strerror(error));
            } else if (error == EOF) {
                LOG.info("{}: connection closed by peer", name);
            } else {
                LOG.info("{}: connection dropped", name);
            }
        } else if (backoff < maxBackoff) {
            if (error > 0) {
                LOG.info("{}: connection attempt failed ({})", name, Native.strerror(error));
            } else {
                LOG.info("{}: connection attempt timed out", name);
            }
        }

        if (wasConnected && lastActivity - lastConnected >= backoff) {
            // The connection lived long enough: start over from the shortest back-off.
            backoff = minBackoff;
        } else if (backoff < minBackoff) {
            backoff = minBackoff;
        } else if (backoff < maxBackoff / 2) {
            backoff *= 2;
            LOG.info("{}: waiting {} seconds before reconnect", name, seconds(backoff));
        } else {
            if (backoff < maxBackoff) {
                LOG.info("{}: continuing to reconnect in the background but suppressing further logging", name);
            }
            backoff = maxBackoff;
        }
        if (wasConnected) {
            lastDisconnected = now;
        }
        transition(now, State.BACKOFF);
    }

    /** Something was received on the connection: it is alive. */
    public void activity(long now) {
        if (state == State.IDLE) {
            transition(now, State.ACTIVE);
        }
        lastActivity = now;
    }

    /** The owner tried to receive, whether or not anything came (for the probe deadline). */
    public void receiveAttempted(long now) {
        lastReceiveAttempt = now;
    }

    public boolean isConnected() {
        return state == State.ACTIVE || state == State.IDLE;
    }

    /** Incremented on every connect and disconnect, so owners notice a new session. */
    public int connectionSeqno() {
        return connectionSeqno;
    }

    State state() {
        return state;
    }

    /** The state's name as OVS reports it in the Controller status column (ACTIVE, BACKOFF...). */
    public String stateName() {
        return state.name();
    }

    /** When the current state was entered (ms). */
    public long stateEntered() {
        return stateEntered;
    }

    /** When the connection last came up (ms), or Long.MAX_VALUE if never: the status's sec_since_connect. */
    public long lastConnected() {
        return lastConnected;
    }

    /** When a connection last went down (ms), or Long.MAX_VALUE if never: the status's sec_since_disconnect. */
    public long lastDisconnected() {
        return lastDisconnected;
    }

    long backoff() {
        return backoff;
    }

    /** What the owner should do now. */
    public Action run(long now) {
        if (now < deadline(now)) {
            return Action.NONE;
        }
        switch (state) {
        case BACKOFF:
            return Action.CONNECT;
        case CONNECTING:
        case RECONNECT:
            return Action.DISCONNECT;
        case ACTIVE:
            LOG.debug("{}: idle {} ms, sending inactivity probe", name, now - Math.max(lastActivity, stateEntered));
            transition(now, State.IDLE);
            return Action.PROBE;
        case IDLE:
            LOG.error("{}: no response to inactivity probe after {} seconds, disconnecting", name,
                    seconds(now - stateEntered));
            return Action.DISCONNECT;
        default:
            return Action.NONE;
        }
    }

    /** Wakes 'loop' when {@link #run} next has something to do. */
    public void waitFor(PollLoop loop, long now) {
        long deadline = deadline(now);
        if (deadline != Long.MAX_VALUE) {
            loop.timerWaitUntil(deadline);
        }
    }

    private long deadline(long now) {
        switch (state) {
        case BACKOFF:
            return stateEntered + backoff;
        case CONNECTING:
            return stateEntered + Math.max(1000, backoff);
        case ACTIVE:
            if (probeInterval > 0) {
                long expiration = Math.max(lastActivity, stateEntered) + probeInterval;
                return now < expiration || lastReceiveAttempt >= expiration ? expiration : now + 1;
            }
            return Long.MAX_VALUE;
        case IDLE:
            if (probeInterval > 0) {
                long expiration = stateEntered + probeInterval;
                return now < expiration || lastReceiveAttempt >= expiration ? expiration : now + 1;
            }
            return Long.MAX_VALUE;
        case RECONNECT:
            return stateEntered;
        default:
            return Long.MAX_VALUE;
        }
    }

    private void transition(long now, State to) {
        if ((state == State.ACTIVE || state == State.IDLE) != (to == State.ACTIVE || to == State.IDLE)) {
            connectionSeqno++;
        }
        state = to;
        stateEntered = now;
    }

    /** Seconds formatted as C's "%.3g". */
    static String seconds(long ms) {
        String s = String.format("%.3g", ms / 1000.0);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
