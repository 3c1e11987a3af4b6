package org.jovs.vswitchd.ofproto;

import java.util.List;

/**
 * One flow in a flow table: its identity (table, priority, match), what a modify may change
 * (cookie, actions), its timeouts and flags, and its counters and times (ms of
 * {@link org.jovs.core.TimeVal#msec()} or of the clock injected into {@link FlowTables}).
 * Owned by {@link FlowTables}; main thread only.
 */
final class FlowEntry {
    final int table;
    final int priority;
    final FlowMatch match;
    long cookie;
    List<FlowAction> actions;
    final int idleTimeout;
    final int hardTimeout;
    final boolean sendFlowRemoved;
    /** OFPFF_RESET_COUNTS as OVS keeps it: set by OF1.3 flow mods, and by every OF1.0 add. */
    final boolean resetCounts;
    /** The eviction precedence an OpenFlow 1.4+ add gave (reported, not used: tables never fill). */
    final int importance;
    final long created;
    long modified;
    long used;
    long packets;
    long bytes;

    FlowEntry(int table, int priority, FlowMatch match, long cookie, List<FlowAction> actions, int idleTimeout,
            int hardTimeout, boolean sendFlowRemoved, boolean resetCounts, int importance, long now) {
        this.table = table;
        this.priority = priority;
        this.match = match;
        this.cookie = cookie;
        this.actions = List.copyOf(actions);
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.sendFlowRemoved = sendFlowRemoved;
        this.resetCounts = resetCounts;
        this.importance = importance;
        this.created = now;
        this.modified = now;
        this.used = now;
    }

    /** What a modify may change (actions, cookie, modification time, counters), to put back by running the result. */
    Runnable saveModifiable() {
        List<FlowAction> oldActions = actions;
        long oldCookie = cookie;
        long oldModified = modified;
        long oldPackets = packets;
        long oldBytes = bytes;
        return () -> {
            actions = oldActions;
            cookie = oldCookie;
            modified = oldModified;
            packets = oldPackets;
            bytes = oldBytes;
        };
    }

    /** Counts one packet of 'len' bytes. */
    void hit(int len, long now) {
        packets++;
        bytes += len;
        used = now;
    }

    /** A table-miss flow, as OVS's rule_is_table_miss(): priority 0 and a catch-all match. */
    boolean isTableMiss() {
        return priority == 0 && match.isCatchAll();
    }

    boolean outputsTo(int port) {
        for (FlowAction a : actions) {
            if (a.outputsTo(port)) {
                return true;
            }
        }
        return false;
    }
}
