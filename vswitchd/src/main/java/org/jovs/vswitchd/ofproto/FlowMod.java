package org.jovs.vswitchd.ofproto;

import java.util.List;

/**
 * A decoded flow table modification, whichever message and version it came in (OF1.0/OF1.3
 * FLOW_MOD, NXT_FLOW_MOD), in OVS's ofputil_flow_mod terms.
 *
 * @param table the table, or {@link FlowTables#ALL_TABLES} (modify/delete: every table; add: table 0)
 * @param cookieMask which cookie bits select rules for modify/delete (0: all rules)
 * @param newCookie the cookie to give added or modified rules, or null to leave it (OF1.1+ modify)
 * @param outPort modify/delete only rules that output there ({@link OfPorts#NONE}: no filter)
 * @param addIfMissing a modify that selects nothing adds the flow (OpenFlow 1.0 semantics)
 * @param importance an added flow's eviction precedence (OpenFlow 1.4+), kept and reported only
 */
record FlowMod(Command command, int table, FlowMatch match, int priority, long cookie, long cookieMask,
        Long newCookie, int idleTimeout, int hardTimeout, int outPort, boolean sendFlowRemoved,
        boolean checkOverlap, boolean resetCounts, List<FlowAction> actions, boolean addIfMissing, int importance)
        implements Modification {

    /** A flow mod of importance 0, what every version before OpenFlow 1.4 says. */
    FlowMod(Command command, int table, FlowMatch match, int priority, long cookie, long cookieMask, Long newCookie,
            int idleTimeout, int hardTimeout, int outPort, boolean sendFlowRemoved, boolean checkOverlap,
            boolean resetCounts, List<FlowAction> actions, boolean addIfMissing) {
        this(command, table, match, priority, cookie, cookieMask, newCookie, idleTimeout, hardTimeout, outPort,
                sendFlowRemoved, checkOverlap, resetCounts, actions, addIfMissing, 0);
    }

    enum Command {
        ADD, MODIFY, MODIFY_STRICT, DELETE, DELETE_STRICT;

        boolean isStrict() {
            return this == MODIFY_STRICT || this == DELETE_STRICT;
        }

        boolean isDelete() {
            return this == DELETE || this == DELETE_STRICT;
        }
    }
}
