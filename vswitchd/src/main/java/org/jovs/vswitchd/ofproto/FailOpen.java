package org.jovs.vswitchd.ofproto;

import java.util.Collection;

import org.jovs.core.PollLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail-open, as OVS's ofproto/fail-open.c: a bridge in fail mode standalone whose controllers
 * have all been unreachable (or have sent nothing but handshake and echo messages) for three
 * times the longest inactivity probe interval acts as a plain learning switch. On entering that
 * mode its owner flushes the OpenFlow tables and sends every frame to NORMAL, which is what OVS's
 * hidden fail-open flow (priority 0xf0f0f0, above every OpenFlow priority) amounts to. The mode
 * ends as soon as a controller is admitted again; the flushed flows stay gone, for the
 * controller to set up anew.
 *
 * <p>Owned by {@link Ofproto}, which calls {@link #run} and {@link #waitFor} only while it is in
 * standalone mode with controllers, and {@link #reset} otherwise. Main thread only.
 */
final class FailOpen {
    private static final Logger LOG = LoggerFactory.getLogger("fail_open");

    private boolean active;
    private long lastDisconnSecs;

    boolean isActive() {
        return active;
    }

    /** Updates the mode; true if fail-open mode began just now (the owner flushes its tables). */
    boolean run(long now, Collection<ControllerLink> controllers) {
        long disconnMs = failureDuration(now, controllers);
        long disconnSecs = disconnMs / 1000;
        if (active && disconnMs == 0) {
            LOG.warn("No longer in fail-open mode");
            active = false;
            lastDisconnSecs = 0;
        } else if (disconnSecs > 0 && disconnMs >= trigger(controllers)) {
            if (!active) {
                LOG.warn("Could not connect to controller (or switch failed controller's post-connection admission "
                        + "control policy) for {} seconds, failing open", disconnSecs);
                active = true;
                lastDisconnSecs = disconnSecs;
                return true;
            }
            if (disconnSecs > lastDisconnSecs + 60) {
                LOG.info("Still in fail-open mode after {} seconds disconnected from controller", disconnSecs);
                lastDisconnSecs = disconnSecs;
            }
        }
        return false;
    }

    /** Wakes the loop when fail-open mode is due to begin. */
    void waitFor(PollLoop loop, long now, Collection<ControllerLink> controllers) {
        long disconnMs = failureDuration(now, controllers);
        if (!active && disconnMs > 0) {
            loop.timerWaitUntil(now + Math.max(1000, trigger(controllers)) - disconnMs);
        }
    }

    /** Leaves fail-open mode without a word: the bridge went secure or has no controllers left. */
    void reset() {
        active = false;
        lastDisconnSecs = 0;
    }

    /** How long no controller has been admitted, as connmgr_failure_duration(): the shortest. */
    private static long failureDuration(long now, Collection<ControllerLink> controllers) {
        long min = Long.MAX_VALUE;
        for (ControllerLink c : controllers) {
            min = Math.min(min, c.failureDuration(now));
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Every controller gets an idle interval, a probe's wait and a reconnection before we fail open. */
    private static long trigger(Collection<ControllerLink> controllers) {
        long max = 0;
        for (ControllerLink c : controllers) {
            max = Math.max(max, c.probeInterval());
        }
        return max * 3;
    }
}
