package org.jovs.vswitchd.ofproto;

import java.util.Arrays;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Encodes the asynchronous messages (xid 0) for a session's version: PACKET_IN (standard
 * format, no buffering, the frame cut to the requested length), PORT_STATUS and FLOW_REMOVED.
 * Pure logic.
 */
final class AsyncMessages {
    private AsyncMessages() {
    }

    static OFMessage packetIn(OFFactory f, boolean noMatch, int inPort, byte[] frame, int len, int maxLen, int table,
            long cookie) {
        int n = maxLen == 0xffff ? len : Math.min(len, maxLen);
        var b = f.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(len)
                .setReason(noMatch ? OFPacketInReason.NO_MATCH : OFPacketInReason.ACTION)
                .setData(Arrays.copyOf(frame, n));
        if (f.getVersion() == OFVersion.OF_10) {
            b.setInPort(OfPorts.toLoxi(inPort));
        } else {
            b.setTableId(TableId.of(table)).setCookie(U64.of(cookie))
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OfPorts.toLoxi(inPort)).build());
        }
        return b.build();
    }

    /** 'reason': 0 add, 1 delete, 2 modify. */
    static OFMessage portStatus(OFFactory f, int reason, OfPort port) {
        return f.buildPortStatus().setXid(0).setReason(OFPortReason.values()[reason])
                .setDesc(StatsReplies.portDesc(f, port)).build();
    }

    static OFMessage flowRemoved(OFFactory f, FlowEntry e, FlowTables.RemovedReason reason, long now) {
        long age = Math.max(0, now - e.created);
        var b = f.buildFlowRemoved().setXid(0).setCookie(U64.of(e.cookie)).setPriority(e.priority)
                .setReason(switch (reason) {
                case IDLE_TIMEOUT -> OFFlowRemovedReason.IDLE_TIMEOUT;
                case HARD_TIMEOUT -> OFFlowRemovedReason.HARD_TIMEOUT;
                case DELETE -> OFFlowRemovedReason.DELETE;
                }).setDurationSec(age / 1000).setDurationNsec(age % 1000 * 1_000_000).setIdleTimeout(e.idleTimeout)
                .setPacketCount(U64.of(e.packets)).setByteCount(U64.of(e.bytes))
                .setMatch(LoxiMatch.write(f, e.match));
        if (f.getVersion() != OFVersion.OF_10) {
            b.setTableId(TableId.of(e.table)).setHardTimeout(e.hardTimeout);
        }
        return b.build();
    }
}
