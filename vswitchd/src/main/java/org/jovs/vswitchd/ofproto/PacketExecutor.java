package org.jovs.vswitchd.ofproto;

import java.util.List;

import org.jovs.vswitchd.flow.FlowExtractor;
import org.jovs.vswitchd.flow.FlowKey;

/**
 * Executes a flow's actions on one frame, as OVS's xlate: header rewrites change the frame in
 * place (IPv4 and TCP/UDP checksums updated incrementally) and the key with it, each output
 * sends the frame as it is at that point, and resubmit/goto_table continue in another table
 * (at most {@link #MAX_DEPTH} deep). Where frames go is the {@link Pipeline}'s business. One
 * executor per frame; main thread only.
 */
final class PacketExecutor {
    static final int MAX_DEPTH = 64;

    /** What executed actions reach. */
    interface Pipeline {
        void output(int port, FlowKey key, byte[] frame, int len);

        /** 'tableMiss': sent by a table-miss flow (OVS's OFPR_EXPLICIT_MISS), else by an action. */
        void toController(FlowKey key, byte[] frame, int len, int maxLen, int table, long cookie, boolean tableMiss);

        FlowEntry lookup(int table, FlowKey key);
    }

    private final Pipeline pipeline;
    private FlowKey key;
    private byte[] frame;
    private int len;
    private int depth;
    /** Whether the rule whose actions run now is a table-miss flow. */
    private boolean inTableMiss;

    /** An executor for 'pipeline', reused packet after packet (see {@link #on}). */
    PacketExecutor(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Points this executor at a new packet, whose frame it may rewrite in place. */
    PacketExecutor on(FlowKey key, byte[] frame, int len) {
        this.key = key;
        this.frame = frame;
        this.len = len;
        depth = 0;
        inTableMiss = false;
        return this;
    }

    /** Runs the actions of rule 'e'. */
    void execute(FlowEntry e) {
        boolean outer = inTableMiss;
        inTableMiss = e.isTableMiss();
        execute(e.actions, e.table, e.cookie);
        inTableMiss = outer;
    }

    /** Runs 'actions' of a rule in 'table' with 'cookie' (a packet-out's, with no rule). */
    void execute(List<FlowAction> actions, int table, long cookie) {
        for (FlowAction a : actions) {
            if (a instanceof FlowAction.Output o) {
                if (o.port() == OfPorts.CONTROLLER) {
                    pipeline.toController(key, frame, len, o.maxLen(), table, cookie, inTableMiss);
                } else {
                    pipeline.output(o.port(), key, frame, len);
                }
            } else if (a instanceof FlowAction.Resubmit r) {
                int saved = key.inPort;
                if (r.port() != OfPorts.IN_PORT) {
                    key.inPort = r.port();
                }
                continueIn(r.table() == 0xff ? table : r.table());
                key.inPort = saved;
            } else if (a instanceof FlowAction.GotoTable g) {
                continueIn(g.table());
            } else {
                rewrite(a);
            }
        }
    }

    private void continueIn(int table) {
        if (depth >= MAX_DEPTH || table >= FlowTables.N_TABLES) {
            return;
        }
        FlowEntry e = pipeline.lookup(table, key);
        if (e != null) {
            depth++;
            execute(e);
            depth--;
        }
    }

    private void rewrite(FlowAction a) {
        if (a instanceof FlowAction.SetDlSrc s) {
            putMac(6, s.mac());
            key.dlSrc = s.mac();
        } else if (a instanceof FlowAction.SetDlDst s) {
            putMac(0, s.mac());
            key.dlDst = s.mac();
        } else if (a instanceof FlowAction.SetVlanVid v) {
            setTci(key.vlanTci & 0xe000 | v.vid() & 0x0fff);
        } else if (a instanceof FlowAction.SetVlanPcp p) {
            setTci(key.vlanTci & 0x0fff | (p.pcp() & 7) << 13);
        } else if (a instanceof FlowAction.PushVlan) {
            if (key.vlanTci == 0) {
                setTci(0);
            }
        } else if (a instanceof FlowAction.StripVlan) {
            stripVlan();
        } else if (key.l3Offset >= 0 && key.dlType == 0x0800) {
            rewriteIpv4(a);
        }
    }

    private void setTci(int tci) {
        if (key.vlanTci == 0) {
            byte[] grown = new byte[len + 4];
            System.arraycopy(frame, 0, grown, 0, 12);
            grown[12] = (byte) 0x81;
            grown[13] = 0x00;
            System.arraycopy(frame, 12, grown, 16, len - 12);
            frame = grown;
            len += 4;
            shiftOffsets(4);
        }
        frame[14] = (byte) (tci >>> 8);
        frame[15] = (byte) tci;
        key.vlanTci = tci | FlowKey.VLAN_CFI;
    }

    private void stripVlan() {
        if (key.vlanTci == 0 || len < 18) {
            return;
        }
        System.arraycopy(frame, 16, frame, 12, len - 16);
        len -= 4;
        key.vlanTci = 0;
        shiftOffsets(-4);
    }

    private void shiftOffsets(int by) {
        if (key.l3Offset >= 0) {
            key.l3Offset += by;
        }
        if (key.l4Offset >= 0) {
            key.l4Offset += by;
        }
    }

    private void putMac(int at, long mac) {
        for (int i = 0; i < 6; i++) {
            frame[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private void rewriteIpv4(FlowAction a) {
        int l3 = key.l3Offset;
        if (a instanceof FlowAction.SetNwSrc s) {
            replace32(l3 + 12, s.ip(), true);
            key.nwSrc = s.ip();
        } else if (a instanceof FlowAction.SetNwDst s) {
            replace32(l3 + 16, s.ip(), true);
            key.nwDst = s.ip();
        } else if (a instanceof FlowAction.SetNwTos t) {
            int old = FlowExtractor.u16(frame, l3);
            int tos = key.nwTos & 0x03 | t.tos() & 0xfc;
            int now = old & 0xff00 | tos;
            frame[l3 + 1] = (byte) tos;
            adjust(l3 + 10, old, now);
            key.nwTos = tos;
        } else if (a instanceof FlowAction.SetTpSrc s && key.l4Offset >= 0 && isPorts()) {
            replace16(key.l4Offset, s.port());
            key.tpSrc = s.port();
        } else if (a instanceof FlowAction.SetTpDst s && key.l4Offset >= 0 && isPorts()) {
            replace16(key.l4Offset + 2, s.port());
            key.tpDst = s.port();
        }
    }

    private boolean isPorts() {
        return key.nwProto == 6 || key.nwProto == 17 || key.nwProto == 132;
    }

    /** Offset of the transport checksum, or -1 (none, or UDP without one). */
    private int l4Checksum() {
        if (key.l4Offset < 0) {
            return -1;
        }
        if (key.nwProto == 6 && key.l4Offset + 18 <= len) {
            return key.l4Offset + 16;
        }
        if (key.nwProto == 17 && key.l4Offset + 8 <= len && FlowExtractor.u16(frame, key.l4Offset + 6) != 0) {
            return key.l4Offset + 6;
        }
        return -1;
    }

    private void replace32(int at, int value, boolean inPseudoHeader) {
        int oldHi = FlowExtractor.u16(frame, at);
        int oldLo = FlowExtractor.u16(frame, at + 2);
        int l4 = inPseudoHeader ? l4Checksum() : -1;
        frame[at] = (byte) (value >>> 24);
        frame[at + 1] = (byte) (value >>> 16);
        frame[at + 2] = (byte) (value >>> 8);
        frame[at + 3] = (byte) value;
        adjust(key.l3Offset + 10, oldHi, value >>> 16 & 0xffff);
        adjust(key.l3Offset + 10, oldLo, value & 0xffff);
        if (l4 >= 0) {
            adjust(l4, oldHi, value >>> 16 & 0xffff);
            adjust(l4, oldLo, value & 0xffff);
        }
    }

    private void replace16(int at, int value) {
        int old = FlowExtractor.u16(frame, at);
        int l4 = l4Checksum();
        frame[at] = (byte) (value >>> 8);
        frame[at + 1] = (byte) value;
        if (l4 >= 0) {
            adjust(l4, old, value & 0xffff);
        }
    }

    /** Updates the ones-complement checksum at 'at' for a 16-bit word going from 'old' to 'now' (RFC 1624). */
    private void adjust(int at, int old, int now) {
        int sum = ~FlowExtractor.u16(frame, at) & 0xffff;
        sum += ~old & 0xffff;
        sum += now;
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int csum = ~sum & 0xffff;
        frame[at] = (byte) (csum >>> 8);
        frame[at + 1] = (byte) csum;
    }
}
