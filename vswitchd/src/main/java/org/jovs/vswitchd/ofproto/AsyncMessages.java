package org.jovs.vswitchd.ofproto;

import java.util.Arrays;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import io.netty.buffer.ByteBuf;

/**
 * Encodes the asynchronous messages (xid 0) for a session's version: PACKET_IN (standard
 * format, no buffering, the frame cut to the requested length; the input port as a field up to
 * OF1.1, in the match from 1.2), PORT_STATUS and FLOW_REMOVED (OXS statistics in OF1.5, written
 * here as OVS does). Returned encoded. Pure logic.
 */
final class AsyncMessages {
    private static final int OFPT_FLOW_REMOVED = 11;

    private AsyncMessages() {
    }

    /** Why a packet goes to the controller, as OVS's internal OFPR_* that matter here. */
    enum Reason {
        /** Table 0 missed (before OF1.3) or a table-miss flow sent it (from 1.3). */
        NO_MATCH,
        ACTION,
        /** An output to the controller while running a packet-out's actions: "action" before OF1.4. */
        PACKET_OUT
    }

    static byte[] packetIn(OFFactory f, Reason reason, int inPort, byte[] frame, int len, int maxLen, int table,
            long cookie) {
        int n = maxLen == 0xffff ? len : Math.min(len, maxLen);
        OFPacketInReason why = switch (reason) {
        case NO_MATCH -> OFPacketInReason.NO_MATCH;
        case ACTION -> OFPacketInReason.ACTION;
        case PACKET_OUT -> f.getVersion().compareTo(OFVersion.OF_14) >= 0 ? OFPacketInReason.PACKET_OUT
                : OFPacketInReason.ACTION;
        };
        var b = f.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(len).setReason(why)
                .setData(Arrays.copyOf(frame, n));
        OFVersion v = f.getVersion();
        if (v == OFVersion.OF_10) {
            b.setInPort(OfPorts.toLoxi(inPort));
        } else if (v == OFVersion.OF_11) {
            b.setInPort(OfPorts.toLoxi(inPort)).setInPhyPort(OfPorts.toLoxi(inPort)).setTableId(TableId.of(table));
        } else {
            b.setTableId(TableId.of(table))
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OfPorts.toLoxi(inPort)).build());
            if (v.compareTo(OFVersion.OF_13) >= 0) {
                b.setCookie(U64.of(cookie));
            }
        }
        return StatsReplies.bytes(b.build());
    }

    /** 'reason': 0 add, 1 delete, 2 modify. */
    static byte[] portStatus(OFFactory f, int reason, OfPort port) {
        return StatsReplies.bytes(f.buildPortStatus().setXid(0).setReason(OFPortReason.values()[reason])
                .setDesc(PortMessages.portDesc(f, port)).build());
    }

    static byte[] flowRemoved(OFFactory f, FlowEntry e, FlowTables.RemovedReason reason, long now) {
        long age = Math.max(0, now - e.created);
        if (f.getVersion().compareTo(OFVersion.OF_15) >= 0) {
            return flowRemoved15(f, e, reason.ordinal(), age);
        }
        OFFlowRemovedReason why = switch (reason) {
        case IDLE_TIMEOUT -> OFFlowRemovedReason.IDLE_TIMEOUT;
        case HARD_TIMEOUT -> OFFlowRemovedReason.HARD_TIMEOUT;
        case DELETE -> OFFlowRemovedReason.DELETE;
        };
        var b = f.buildFlowRemoved().setXid(0).setCookie(U64.of(e.cookie)).setPriority(e.priority).setReason(why)
                .setDurationSec(age / 1000).setDurationNsec(age % 1000 * 1_000_000).setIdleTimeout(e.idleTimeout)
                .setPacketCount(U64.of(e.packets)).setByteCount(U64.of(e.bytes))
                .setMatch(LoxiMatch.write(f, e.match));
        if (f.getVersion() != OFVersion.OF_10) {
            b.setTableId(TableId.of(e.table)).setHardTimeout(e.hardTimeout);
        }
        return StatsReplies.bytes(b.build());
    }

    /**
     * ofp15_flow_removed: table, reason (OFPRR_*: the order of RemovedReason), priority,
     * timeouts, cookie, match, OXS.
     */
    private static byte[] flowRemoved15(OFFactory f, FlowEntry e, int reason, long age) {
        ByteBuf b = OfWire.start(OfWire.OF15, OFPT_FLOW_REMOVED, 0);
        b.writeByte(e.table).writeByte(reason).writeShort(e.priority).writeShort(e.idleTimeout)
                .writeShort(e.hardTimeout).writeLong(e.cookie);
        LoxiMatch.write(f, e.match).writeTo(b);
        Oxs.putStats(b, age, -1, e.packets, e.bytes, -1);
        return OfWire.finish(b);
    }
}
