package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFObject;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFQueueStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.OFTableFeaturesStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The replies that describe the switch, in the session's version as OVS 3.1 encodes them:
 * FEATURES_REPLY and every statistics / multipart reply (desc, flow, aggregate, table, port,
 * port-desc, table-features, queue, and the Nicira NXST_FLOW and NXST_AGGREGATE), split into
 * parts of at most 64 KiB with REPLY_MORE. Ports are {@link PortMessages}' business, tables
 * {@link TableReplies}'; OpenFlow 1.5's flow and aggregate statistics (OXS) are written here.
 * No buffers. Main thread only.
 */
final class StatsReplies {
    private static final int OFPMP_FLOW = 1;
    private static final int OFPMP_AGGREGATE = 2;
    private static final int OFPMP_TABLE = 3;
    private static final int OFPMP_PORT_STATS = 4;
    private static final int OFPMP_TABLE_FEATURES = 12;
    /** Where ofp_switch_features has its capabilities: after header, datapath_id, n_buffers, n_tables, ... */
    private static final int FEATURES_CAPABILITIES_AT = 24;
    private static final int OFPC14_BUNDLES = 1 << 9;
    /** The multipart header of OpenFlow 1.1+: header, type, flags, pad. */
    private static final int MULTIPART_HEADER_LEN = 16;

    private static final OFFactory OXM_FACTORY = OFFactories.getFactory(OFVersion.OF_12);

    private final OfSession s;

    StatsReplies(OfSession s) {
        this.s = s;
    }

    private OFFactory f() {
        return s.factory;
    }

    private boolean v10() {
        return s.version == OfWire.OF10;
    }

    /** Up to OF1.2 the port list is in the features reply; from 1.3 it is a multipart reply of its own. */
    byte[] featuresReply(int xid) {
        Ofproto o = s.ofproto;
        var b = f().buildFeaturesReply().setXid(xid & 0xffffffffL).setDatapathId(DatapathId.of(o.datapathId()))
                .setNBuffers(0).setNTables((short) TableReplies.VISIBLE_TABLES);
        if (v10()) {
            b.setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                    OFCapabilities.PORT_STATS, OFCapabilities.QUEUE_STATS, OFCapabilities.ARP_MATCH_IP));
            b.setActions(EnumSet.of(OFActionType.OUTPUT, OFActionType.SET_VLAN_VID, OFActionType.SET_VLAN_PCP,
                    OFActionType.STRIP_VLAN, OFActionType.SET_DL_SRC, OFActionType.SET_DL_DST,
                    OFActionType.SET_NW_SRC, OFActionType.SET_NW_DST, OFActionType.SET_NW_TOS,
                    OFActionType.SET_TP_SRC, OFActionType.SET_TP_DST, OFActionType.ENQUEUE));
            b.setPorts(PortMessages.portDescs(f(), o.ports()));
            return bytes(b.build());
        }
        Set<OFCapabilities> caps = EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS, OFCapabilities.QUEUE_STATS);
        if (s.version == OfWire.OF11) {
            caps.add(OFCapabilities.ARP_MATCH_IP);
        }
        b.setCapabilities(caps);
        if (s.version < OfWire.OF13) {
            b.setPorts(PortMessages.portDescs(f(), o.ports()));
        } else {
            b.setAuxiliaryId(OFAuxId.MAIN);
        }
        byte[] out = bytes(b.build());
        if (s.version >= OfWire.OF14) {
            // OFPC14_BUNDLES, which Loxi does not have in 1.4.
            out[FEATURES_CAPABILITIES_AT + 2] |= OFPC14_BUNDLES >>> 8;
        }
        return out;
    }

    static byte[] bytes(OFMessage m) {
        ByteBuf b = Unpooled.buffer(256);
        m.writeTo(b);
        byte[] out = new byte[b.writerIndex()];
        b.getBytes(0, out);
        return out;
    }

    private static int size(OFObject o) {
        ByteBuf b = Unpooled.buffer(256);
        o.writeTo(b);
        return b.writerIndex();
    }

    /** Sends 'entries' in as many replies as needed, each under 64 KiB, all but the last with REPLY_MORE. */
    private <E extends OFObject> void sendSplit(List<E> entries,
            BiFunction<List<E>, Set<OFStatsReplyFlags>, OFMessage> build) {
        List<E> part = new ArrayList<>();
        int partSize = 32;
        for (E e : entries) {
            int n = size(e);
            if (!part.isEmpty() && partSize + n > OfWire.MAX_PART) {
                s.send(build.apply(part, EnumSet.of(OFStatsReplyFlags.REPLY_MORE)));
                part = new ArrayList<>();
                partSize = 32;
            }
            part.add(e);
            partSize += n;
        }
        s.send(build.apply(part, EnumSet.noneOf(OFStatsReplyFlags.class)));
    }

    /** As {@link #sendSplit}, for entries written by hand into OF1.1+ multipart replies of 'type'. */
    private void sendSplitRaw(int type, int xid, List<ByteBuf> entries) {
        ByteBuf b = startMultipartReply(type, xid);
        for (ByteBuf e : entries) {
            if (b.writerIndex() > MULTIPART_HEADER_LEN && b.writerIndex() + e.readableBytes() > OfWire.MAX_PART) {
                b.setShort(10, OfWire.STATS_REPLY_MORE);
                s.send(OfWire.finish(b));
                b = startMultipartReply(type, xid);
            }
            b.writeBytes(e);
        }
        s.send(OfWire.finish(b));
    }

    private ByteBuf startMultipartReply(int type, int xid) {
        ByteBuf b = OfWire.start(s.version, OfWire.OFPT11_MULTIPART_REPLY, xid);
        b.writeShort(type).writeShort(0).writeInt(0);
        return b;
    }

    void standard(OFStatsRequest<?> req) throws OfError.OfErrorException {
        long xid = req.getXid();
        Ofproto o = s.ofproto;
        if (req instanceof OFDescStatsRequest) {
            s.send(f().buildDescStatsReply().setXid(xid).setMfrDesc("Nicira, Inc.").setHwDesc("Open vSwitch")
                    .setSwDesc(org.jovs.core.Version.OVS).setSerialNum("None").setDpDesc("None").build());
        } else if (req instanceof OFFlowStatsRequest r) {
            flowStats((int) xid, r);
        } else if (req instanceof OFAggregateStatsRequest r) {
            long cookieMask = v10() ? 0 : r.getCookieMask().getValue();
            long cookie = v10() ? 0 : r.getCookie().getValue();
            long[] agg = aggregate(o.selectForStats(r.getTableId().getValue(), LoxiMatch.read(r.getMatch()),
                    OfPorts.fromLoxi(r.getOutPort()), cookie, cookieMask));
            if (s.version >= OfWire.OF15) {
                ByteBuf b = startMultipartReply(OFPMP_AGGREGATE, (int) xid);
                Oxs.putStats(b, -1, -1, agg[0], agg[1], agg[2]);
                s.send(OfWire.finish(b));
                return;
            }
            s.send(f().buildAggregateStatsReply().setXid(xid).setPacketCount(U64.of(agg[0]))
                    .setByteCount(U64.of(agg[1])).setFlowCount(agg[2]).build());
        } else if (req instanceof OFTableStatsRequest) {
            if (s.version == OfWire.OF11 || s.version == OfWire.OF12) {
                sendSplitRaw(OFPMP_TABLE, (int) xid, TableReplies.oldTableStats(s.version, o.tables()));
                return;
            }
            sendSplit(TableReplies.tableStats(f(), o.tables()), (part, flags) -> f().buildTableStatsReply()
                    .setXid(xid).setFlags(flags).setEntries(part).build());
        } else if (req instanceof OFPortStatsRequest r) {
            portStats((int) xid, OfPorts.fromLoxi(r.getPortNo()));
        } else if (req instanceof OFPortDescStatsRequest r) {
            // OpenFlow 1.5 may ask for one port.
            int want = s.version >= OfWire.OF15 ? OfPorts.fromLoxi(r.getPortNo()) : OfPorts.NONE;
            List<OfPort> ports = new ArrayList<>();
            for (OfPort p : o.ports()) {
                if (want == OfPorts.NONE || want == p.number()) {
                    ports.add(p);
                }
            }
            sendSplit(PortMessages.portDescs(f(), ports), (part, flags) -> f().buildPortDescStatsReply().setXid(xid)
                    .setFlags(flags).setEntries(part).build());
        } else if (req instanceof OFTableFeaturesStatsRequest r) {
            if (!r.getEntries().isEmpty()) {
                throw OfError.BAD_REQUEST_EPERM.exception("table features cannot be changed");
            }
            List<ByteBuf> entries = new ArrayList<>();
            for (OFTableFeatures tf : TableReplies.tableFeatures()) {
                ByteBuf b = Unpooled.buffer(1024);
                tf.writeTo(b);
                entries.add(b);
            }
            sendSplitRaw(OFPMP_TABLE_FEATURES, (int) xid, entries);
        } else if (req instanceof OFQueueStatsRequest) {
            s.send(f().buildQueueStatsReply().setXid(xid).build());
        } else {
            throw OfError.BAD_STAT.exception("statistics type " + req.getStatsType());
        }
    }

    private void flowStats(int xid, OFFlowStatsRequest r) throws OfError.OfErrorException {
        long cookieMask = v10() ? 0 : r.getCookieMask().getValue();
        long cookie = v10() ? 0 : r.getCookie().getValue();
        Ofproto o = s.ofproto;
        List<FlowEntry> flows = o.selectForStats(r.getTableId().getValue(), LoxiMatch.read(r.getMatch()),
                OfPorts.fromLoxi(r.getOutPort()), cookie, cookieMask);
        long now = o.now();
        if (s.version >= OfWire.OF15) {
            List<ByteBuf> entries = new ArrayList<>();
            for (FlowEntry e : flows) {
                entries.add(flowDesc15(e, now));
            }
            sendSplitRaw(OFPMP_FLOW, xid, entries);
            return;
        }
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        for (FlowEntry e : flows) {
            entries.add(flowEntry(e, now));
        }
        sendSplit(entries, (part, flags) -> f().buildFlowStatsReply().setXid(xid).setFlags(flags).setEntries(part)
                .build());
    }

    /**
     * A flow's entry up to OF1.4: flags from 1.3 (OVS sends none before), importance from 1.4. In
     * OF1.1 OVS sends the match as OXM rather than ofp11_match, so it is written as OF1.2's.
     */
    private OFFlowStatsEntry flowEntry(FlowEntry e, long now) {
        long age = Math.max(0, now - e.created);
        OFFactory matchFactory = s.version == OfWire.OF11 ? OXM_FACTORY : f();
        var b = f().buildFlowStatsEntry().setTableId(TableId.of(e.table)).setDurationSec(age / 1000)
                .setDurationNsec(age % 1000 * 1_000_000).setPriority(e.priority).setIdleTimeout(e.idleTimeout)
                .setHardTimeout(e.hardTimeout).setCookie(U64.of(e.cookie)).setPacketCount(U64.of(e.packets))
                .setByteCount(U64.of(e.bytes)).setMatch(LoxiMatch.write(matchFactory, e.match));
        if (v10()) {
            b.setActions(LoxiActions.write(f(), e.actions, e.match));
            return b.build();
        }
        b.setInstructions(LoxiActions.writeInstructions(f(), e.actions, e.match));
        if (s.version >= OfWire.OF13) {
            b.setFlags(flowFlags(e));
        }
        if (s.version >= OfWire.OF14) {
            b.setImportance(e.importance);
        }
        return b.build();
    }

    private static Set<OFFlowModFlags> flowFlags(FlowEntry e) {
        Set<OFFlowModFlags> flags = EnumSet.noneOf(OFFlowModFlags.class);
        if (e.sendFlowRemoved) {
            flags.add(OFFlowModFlags.SEND_FLOW_REM);
        }
        if (e.resetCounts) {
            flags.add(OFFlowModFlags.RESET_COUNTS);
        }
        return flags;
    }

    /** OF1.5's ofp15_flow_desc: the fixed part, the match, OXS statistics (with idle age), the instructions. */
    private ByteBuf flowDesc15(FlowEntry e, long now) {
        ByteBuf b = Unpooled.buffer(128);
        b.writeShort(0).writeZero(2).writeByte(e.table).writeZero(1).writeShort(e.priority)
                .writeShort(e.idleTimeout).writeShort(e.hardTimeout).writeShort(flagBits(e))
                .writeShort(e.importance).writeLong(e.cookie);
        LoxiMatch.write(f(), e.match).writeTo(b);
        Oxs.putStats(b, Math.max(0, now - e.created), Math.max(0, now - e.used) / 1000, e.packets, e.bytes, -1);
        for (OFInstruction i : LoxiActions.writeInstructions(f(), e.actions, e.match)) {
            i.writeTo(b);
        }
        b.setShort(0, b.writerIndex());
        return b;
    }

    /** OFPFF_SEND_FLOW_REM and OFPFF_RESET_COUNTS as bits. */
    private static int flagBits(FlowEntry e) {
        return (e.sendFlowRemoved ? 1 : 0) | (e.resetCounts ? 1 << 2 : 0);
    }

    private static long[] aggregate(List<FlowEntry> flows) {
        long[] out = new long[3];
        for (FlowEntry e : flows) {
            out[0] += e.packets;
            out[1] += e.bytes;
            out[2]++;
        }
        return out;
    }

    /** Port statistics for 'want' (or all): Loxi's entries up to OF1.3, {@link PortMessages#portStats14} after. */
    private void portStats(int xid, int want) {
        Ofproto o = s.ofproto;
        List<OFPortStatsEntry> entries = new ArrayList<>();
        List<ByteBuf> raw = new ArrayList<>();
        for (OfPort p : o.ports()) {
            if (want != OfPorts.NONE && want != p.number()) {
                continue;
            }
            long age = Math.max(0, o.now() - o.portCreated(p.number()));
            if (s.version >= OfWire.OF14) {
                raw.add(PortMessages.portStats14(p.number(), o.portStats(p.number()), age));
            } else {
                entries.add(PortMessages.portStats(f(), p.number(), o.portStats(p.number()), age));
            }
        }
        if (s.version >= OfWire.OF14) {
            sendSplitRaw(OFPMP_PORT_STATS, xid, raw);
            return;
        }
        sendSplit(entries, (part, flags) -> f().buildPortStatsReply().setXid(xid).setFlags(flags).setEntries(part)
                .build());
    }

    /** OVS's OFPST_PORT_DESC (stats type 13) before OpenFlow 1.3. */
    void oldPortDesc(int xid) {
        s.send(PortMessages.oldPortDescReply(f(), xid, s.ofproto.ports()));
    }

    /** NXST_FLOW and NXST_AGGREGATE (Nicira vendor statistics, NXM matches). */
    void vendorStats(byte[] msg) throws OfError.OfErrorException {
        if (msg.length < 24) {
            throw OfError.BAD_LEN.exception("vendor stats too short");
        }
        int vendorAt = v10() ? 12 : 16;
        int vendor = OfWire.u32(msg, vendorAt);
        if (vendor != OfWire.NX_VENDOR) {
            throw OfError.BAD_VENDOR.exception("stats vendor " + Integer.toHexString(vendor));
        }
        int subtype = OfWire.u32(msg, vendorAt + 4);
        if (subtype != OfWire.NXST_FLOW && subtype != OfWire.NXST_AGGREGATE) {
            throw OfError.BAD_SUBTYPE.exception("nicira stats subtype " + subtype);
        }
        if (msg.length < 32) {
            throw OfError.BAD_LEN.exception("NXST request too short");
        }
        ByteBuf in = Unpooled.wrappedBuffer(msg);
        in.readerIndex(24);
        int outPort = in.readUnsignedShort();
        int matchLen = in.readUnsignedShort();
        int table = in.readUnsignedByte();
        in.skipBytes(3);
        if (in.readableBytes() < matchLen) {
            throw OfError.BAD_LEN.exception("NXST match too long");
        }
        NxmCodec.Decoded match = NxmCodec.decode(in, matchLen);
        Ofproto o = s.ofproto;
        List<FlowEntry> flows = o.selectForStats(table, match.match(), outPort, match.cookie(), match.cookieMask());
        int xid = OfWire.xid(msg);
        if (subtype == OfWire.NXST_AGGREGATE) {
            long[] agg = aggregate(flows);
            ByteBuf b = OfWire.startNxStatsReply(s.version, xid, subtype, false);
            b.writeLong(agg[0]).writeLong(agg[1]).writeInt((int) agg[2]).writeInt(0);
            s.send(OfWire.finish(b));
            return;
        }
        long now = o.now();
        ByteBuf b = OfWire.startNxStatsReply(s.version, xid, subtype, false);
        for (FlowEntry e : flows) {
            ByteBuf entry = nxFlowEntry(e, now);
            if (b.writerIndex() + entry.readableBytes() > OfWire.MAX_PART) {
                b.setShort(10, OfWire.STATS_REPLY_MORE);
                s.send(OfWire.finish(b));
                b = OfWire.startNxStatsReply(s.version, xid, subtype, false);
            }
            b.writeBytes(entry);
        }
        s.send(OfWire.finish(b));
    }

    private ByteBuf nxFlowEntry(FlowEntry e, long now) {
        ByteBuf b = Unpooled.buffer(128);
        long age = Math.max(0, now - e.created);
        b.writeShort(0).writeByte(e.table).writeByte(0).writeInt((int) (age / 1000))
                .writeInt((int) (age % 1000 * 1_000_000)).writeShort(e.priority).writeShort(e.idleTimeout)
                .writeShort(e.hardTimeout);
        int matchLenAt = b.writerIndex();
        b.writeShort(0).writeShort(ageField(now - e.used)).writeShort(ageField(now - e.modified))
                .writeLong(e.cookie).writeLong(e.packets).writeLong(e.bytes);
        int matchLen = NxmCodec.encode(e.match, b);
        b.setShort(matchLenAt, matchLen);
        b.writeZero((8 - matchLen % 8) % 8);
        for (OFAction a : LoxiActions.write(s.ofproto.factory10(), e.actions, e.match)) {
            a.writeTo(b);
        }
        b.setShort(0, b.writerIndex());
        return b;
    }

    /** An age in seconds plus one, as OVS encodes idle_age and hard_age (0 means unknown). */
    private static int ageField(long ms) {
        long secs = Math.max(0, ms) / 1000;
        return (int) Math.min(0xffff, secs + 1);
    }
}
