package org.jovs.vswitchd.ofproto;

/**
 * One action of a flow, independent of the OpenFlow version it came in: OF1.0's mod_nw_dst and
 * OF1.3's set_field to ip_dst are the same {@link SetNwDst}, as in OVS's ofpacts, and are encoded
 * back in the form of the connection that asks. Port numbers are 16-bit, OVS style
 * ({@link OfPorts}). goto_table (an OF1.3 instruction) is the last action of its list.
 */
sealed interface FlowAction {
    /** output:PORT, or CONTROLLER with 'maxLen' bytes of the packet. */
    record Output(int port, int maxLen) implements FlowAction {
    }

    /**
     * mod_vlan_vid (OF1.0) / set_field:vlan_vid (OF1.3). 'pushIfNeeded' (OF1.0's meaning) adds a
     * tag to an untagged packet; in OF1.3 that is an explicit push_vlan before the set_field.
     */
    record SetVlanVid(int vid, boolean pushIfNeeded) implements FlowAction {
    }

    record SetVlanPcp(int pcp) implements FlowAction {
    }

    /** strip_vlan (OF1.0) / pop_vlan (OF1.3). */
    record StripVlan() implements FlowAction {
    }

    /** push_vlan (OF1.3): a tag with VID 0, as OVS. */
    record PushVlan(int ethertype) implements FlowAction {
    }

    record SetDlSrc(long mac) implements FlowAction {
    }

    record SetDlDst(long mac) implements FlowAction {
    }

    record SetNwSrc(int ip) implements FlowAction {
    }

    record SetNwDst(int ip) implements FlowAction {
    }

    /** mod_nw_tos: the DSCP bits of the TOS byte, as a TOS byte (low two bits zero). */
    record SetNwTos(int tos) implements FlowAction {
    }

    record SetTpSrc(int port) implements FlowAction {
    }

    record SetTpDst(int port) implements FlowAction {
    }

    /** NX resubmit(port,table): 'port' 0xfff8 (IN_PORT) keeps the in_port, 'table' 255 the current table. */
    record Resubmit(int port, int table) implements FlowAction {
    }

    record GotoTable(int table) implements FlowAction {
    }

    /** True if this action sends to 'port' (the out_port filter of flow mods and dumps). */
    default boolean outputsTo(int port) {
        return this instanceof Output o && o.port() == port;
    }
}
