package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFObject;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFQueueStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.OFTableFeaturesStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.actionid.OFActionId;
import org.projectfloodlight.openflow.protocol.actionid.OFActionIds;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionId;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The replies that describe the switch: FEATURES_REPLY and every statistics / multipart reply
 * (desc, flow, aggregate, table, port, port-desc, table-features, queue, and the Nicira NXST_FLOW
 * and NXST_AGGREGATE), split into parts of at most 64 KiB with REPLY_MORE, as OVS. Values follow
 * OVS 3.1 (254 visible tables, unnamed as without a Flow_Table row; no buffers). Main thread only.
 */
final class StatsReplies {
    /** Tables shown to controllers: OVS hides the last of its 255. */
    static final int VISIBLE_TABLES = 254;
    private static final long MAX_ENTRIES = 1_000_000;
    /** OVS names a table only from its Flow_Table row, which this switch does not read. */
    private static final String UNNAMED_TABLE = "";
    private static final int OFPFW10_ALL = 0x3fffff;
    /** OXM headers (class 0x8000) of the fields this switch matches and sets. */
    private static final int[][] OXM_FIELDS = {
        {0, 4}, {2, 8}, {3, 6}, {4, 6}, {5, 2}, {6, 2}, {7, 1}, {8, 1}, {9, 1}, {10, 1}, {11, 4}, {12, 4},
        {13, 2}, {14, 2}, {15, 2}, {16, 2}, {19, 1}, {20, 1}, {21, 2}, {22, 4}, {23, 4}, {24, 6}, {25, 6},
    };

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

    byte[] featuresReply(int xid) {
        Ofproto o = s.ofproto;
        var b = f().buildFeaturesReply().setXid(xid & 0xffffffffL).setDatapathId(DatapathId.of(o.datapathId()))
                .setNBuffers(0).setNTables((short) VISIBLE_TABLES);
        if (v10()) {
            b.setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                    OFCapabilities.PORT_STATS, OFCapabilities.QUEUE_STATS, OFCapabilities.ARP_MATCH_IP));
            b.setActions(EnumSet.of(OFActionType.OUTPUT, OFActionType.SET_VLAN_VID, OFActionType.SET_VLAN_PCP,
                    OFActionType.STRIP_VLAN, OFActionType.SET_DL_SRC, OFActionType.SET_DL_DST,
                    OFActionType.SET_NW_SRC, OFActionType.SET_NW_DST, OFActionType.SET_NW_TOS,
                    OFActionType.SET_TP_SRC, OFActionType.SET_TP_DST, OFActionType.ENQUEUE));
            b.setPorts(portDescs());
        } else {
            b.setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                    OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS, OFCapabilities.QUEUE_STATS));
            b.setAuxiliaryId(OFAuxId.MAIN);
        }
        return bytes(b.build());
    }

    List<OFPortDesc> portDescs() {
        List<OFPortDesc> out = new ArrayList<>();
        for (OfPort p : s.ofproto.ports()) {
            out.add(portDesc(f(), p));
        }
        return out;
    }

    /** OFP_MAX_PORT_NAME_LEN: a port name on the wire, NUL included. */
    private static final int MAX_PORT_NAME_LEN = 16;

    /** 'name' as the wire carries it: cut to 15 bytes, as OVS's ofputil_put_phy_port() cuts it. */
    static String wireName(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return b.length < MAX_PORT_NAME_LEN ? name
                : new String(b, 0, MAX_PORT_NAME_LEN - 1, java.nio.charset.StandardCharsets.UTF_8);
    }

    static OFPortDesc portDesc(OFFactory f, OfPort p) {
        boolean v10 = f.getVersion() == OFVersion.OF_10;
        Set<OFPortState> state = EnumSet.noneOf(OFPortState.class);
        if (!p.carrier()) {
            state.add(OFPortState.LINK_DOWN);
        } else if (!v10 && p.adminUp()) {
            state.add(OFPortState.LIVE);
        }
        Set<OFPortFeatures> curr = features(p);
        var b = f.buildPortDesc().setPortNo(OfPorts.toLoxi(p.number())).setHwAddr(MacAddress.of(p.mac()))
                .setName(wireName(p.name())).setConfig(p.adminUp() ? EnumSet.noneOf(OFPortConfig.class)
                        : EnumSet.of(OFPortConfig.PORT_DOWN))
                .setState(state).setCurr(curr).setAdvertised(EnumSet.noneOf(OFPortFeatures.class))
                .setSupported(EnumSet.noneOf(OFPortFeatures.class)).setPeer(EnumSet.noneOf(OFPortFeatures.class));
        if (!v10) {
            b.setCurrSpeed(p.speedBps() / 1000).setMaxSpeed(0);
        }
        return b.build();
    }

    private static Set<OFPortFeatures> features(OfPort p) {
        Set<OFPortFeatures> out = EnumSet.noneOf(OFPortFeatures.class);
        long mbps = p.speedBps() / 1_000_000;
        boolean fd = p.fullDuplex();
        if (mbps == 10) {
            out.add(fd ? OFPortFeatures.PF_10MB_FD : OFPortFeatures.PF_10MB_HD);
        } else if (mbps == 100) {
            out.add(fd ? OFPortFeatures.PF_100MB_FD : OFPortFeatures.PF_100MB_HD);
        } else if (mbps == 1000) {
            out.add(fd ? OFPortFeatures.PF_1GB_FD : OFPortFeatures.PF_1GB_HD);
        } else if (mbps == 10000) {
            out.add(OFPortFeatures.PF_10GB_FD);
        } else if (mbps > 0) {
            out.add(OFPortFeatures.PF_OTHER);
        }
        if (!out.isEmpty()) {
            out.add(OFPortFeatures.PF_COPPER);
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
    private <E extends OFObject> void sendSplit(List<E> entries, BiFunction<List<E>, Set<OFStatsReplyFlags>, OFMessage> build) {
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

    void standard(OFStatsRequest<?> req) throws OfError.OfErrorException {
        long xid = req.getXid();
        Ofproto o = s.ofproto;
        if (req instanceof OFDescStatsRequest) {
            s.send(f().buildDescStatsReply().setXid(xid).setMfrDesc("Nicira, Inc.").setHwDesc("Open vSwitch")
                    .setSwDesc(org.jovs.core.Version.OVS).setSerialNum("None").setDpDesc("None").build());
        } else if (req instanceof OFFlowStatsRequest r) {
            FlowMatch match = LoxiMatch.read(r.getMatch());
            long cookieMask = v10() ? 0 : r.getCookieMask().getValue();
            long cookie = v10() ? 0 : r.getCookie().getValue();
            List<OFFlowStatsEntry> entries = new ArrayList<>();
            long now = o.now();
            for (FlowEntry e : o.selectForStats(r.getTableId().getValue(), match, OfPorts.fromLoxi(r.getOutPort()),
                    cookie, cookieMask)) {
                entries.add(flowEntry(e, now));
            }
            sendSplit(entries, (part, flags) -> f().buildFlowStatsReply().setXid(xid).setFlags(flags)
                    .setEntries(part).build());
        } else if (req instanceof OFAggregateStatsRequest r) {
            FlowMatch match = LoxiMatch.read(r.getMatch());
            long cookieMask = v10() ? 0 : r.getCookieMask().getValue();
            long cookie = v10() ? 0 : r.getCookie().getValue();
            long[] agg = aggregate(o.selectForStats(r.getTableId().getValue(), match, OfPorts.fromLoxi(r.getOutPort()),
                    cookie, cookieMask));
            s.send(f().buildAggregateStatsReply().setXid(xid).setPacketCount(U64.of(agg[0]))
                    .setByteCount(U64.of(agg[1])).setFlowCount(agg[2]).build());
        } else if (req instanceof OFTableStatsRequest) {
            List<OFTableStatsEntry> entries = new ArrayList<>();
            for (int t = 0; t < VISIBLE_TABLES; t++) {
                var b = f().buildTableStatsEntry().setTableId(TableId.of(t)).setActiveCount(o.tables().flowCount(t))
                        .setLookupCount(U64.of(o.tables().lookupCount(t)))
                        .setMatchedCount(U64.of(o.tables().matchedCount(t)));
                if (v10()) {
                    b.setName(UNNAMED_TABLE).setWildcards(OFPFW10_ALL).setMaxEntries(MAX_ENTRIES);
                }
                entries.add(b.build());
            }
            sendSplit(entries, (part, flags) -> f().buildTableStatsReply().setXid(xid).setFlags(flags)
                    .setEntries(part).build());
        } else if (req instanceof OFPortStatsRequest r) {
            int want = OfPorts.fromLoxi(r.getPortNo());
            List<OFPortStatsEntry> entries = new ArrayList<>();
            for (OfPort p : o.ports()) {
                if (want == OfPorts.NONE || want == p.number()) {
                    entries.add(portStats(p));
                }
            }
            sendSplit(entries, (part, flags) -> f().buildPortStatsReply().setXid(xid).setFlags(flags)
                    .setEntries(part).build());
        } else if (req instanceof OFPortDescStatsRequest) {
            sendSplit(portDescs(), (part, flags) -> f().buildPortDescStatsReply().setXid(xid).setFlags(flags)
                    .setEntries(part).build());
        } else if (req instanceof OFTableFeaturesStatsRequest r) {
            if (!r.getEntries().isEmpty()) {
                throw OfError.BAD_REQUEST_EPERM.exception("table features cannot be changed");
            }
            List<OFTableFeatures> entries = new ArrayList<>();
            for (int t = 0; t < VISIBLE_TABLES; t++) {
                entries.add(tableFeatures(t));
            }
            sendSplit(entries, (part, flags) -> f().buildTableFeaturesStatsReply().setXid(xid).setFlags(flags)
                    .setEntries(part).build());
        } else if (req instanceof OFQueueStatsRequest) {
            s.send(f().buildQueueStatsReply().setXid(xid).build());
        } else {
            throw OfError.BAD_STAT.exception("statistics type " + req.getStatsType());
        }
    }

    private OFFlowStatsEntry flowEntry(FlowEntry e, long now) {
        long age = Math.max(0, now - e.created);
        var b = f().buildFlowStatsEntry().setTableId(TableId.of(e.table)).setDurationSec(age / 1000)
                .setDurationNsec(age % 1000 * 1_000_000).setPriority(e.priority).setIdleTimeout(e.idleTimeout)
                .setHardTimeout(e.hardTimeout).setCookie(U64.of(e.cookie)).setPacketCount(U64.of(e.packets))
                .setByteCount(U64.of(e.bytes)).setMatch(LoxiMatch.write(f(), e.match));
        if (v10()) {
            b.setActions(LoxiActions.write(f(), e.actions, e.match));
        } else {
            b.setInstructions(LoxiActions.writeInstructions(f(), e.actions, e.match));
            Set<OFFlowModFlags> flags = EnumSet.noneOf(OFFlowModFlags.class);
            if (e.sendFlowRemoved) {
                flags.add(OFFlowModFlags.SEND_FLOW_REM);
            }
            if (e.resetCounts) {
                flags.add(OFFlowModFlags.RESET_COUNTS);
            }
            b.setFlags(flags);
        }
        return b.build();
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

    private OFPortStatsEntry portStats(OfPort p) {
        Map<String, Long> st = s.ofproto.portStats(p.number());
        var b = f().buildPortStatsEntry().setPortNo(OfPorts.toLoxi(p.number()))
                .setRxPackets(stat(st, "rx_packets")).setTxPackets(stat(st, "tx_packets"))
                .setRxBytes(stat(st, "rx_bytes")).setTxBytes(stat(st, "tx_bytes"))
                .setRxDropped(stat(st, "rx_dropped")).setTxDropped(stat(st, "tx_dropped"))
                .setRxErrors(stat(st, "rx_errors")).setTxErrors(stat(st, "tx_errors"))
                .setRxFrameErr(stat(st, "rx_frame_err")).setRxOverErr(stat(st, "rx_over_err"))
                .setRxCrcErr(stat(st, "rx_crc_err")).setCollisions(stat(st, "collisions"));
        if (!v10()) {
            long age = Math.max(0, s.ofproto.now() - s.ofproto.portCreated(p.number()));
            b.setDurationSec(age / 1000).setDurationNsec(age % 1000 * 1_000_000);
        }
        return b.build();
    }

    private static U64 stat(Map<String, Long> st, String key) {
        Long v = st.get(key);
        return v == null ? U64.NO_MASK : U64.of(v);
    }

    private OFTableFeatures tableFeatures(int t) {
        OFFactory f = f();
        List<U32> oxms = new ArrayList<>();
        for (int[] fl : OXM_FIELDS) {
            oxms.add(U32.of(NxmCodec.header(0x8000, fl[0], false, fl[1]) & 0xffffffffL));
        }
        List<U8> next = new ArrayList<>();
        for (int n = t + 1; n < VISIBLE_TABLES; n++) {
            next.add(U8.of((short) n));
        }
        OFActionIds ids = f.actionIds();
        List<OFActionId> actions = List.of(ids.output(), ids.popVlan(), ids.pushVlan(), ids.setField());
        List<OFInstructionId> instructions = new ArrayList<>(List.of(f.instructionIds().applyActions()));
        if (t + 1 < VISIBLE_TABLES) {
            instructions.add(f.instructionIds().gotoTable());
        }
        List<OFTableFeatureProp> props = List.of(f.tableFeaturePropInstructions(instructions),
                f.tableFeaturePropNextTables(next), f.tableFeaturePropWriteActions(List.of()),
                f.tableFeaturePropApplyActions(actions), f.tableFeaturePropMatch(oxms),
                f.tableFeaturePropWildcards(oxms), f.tableFeaturePropWriteSetfield(List.of()),
                f.tableFeaturePropApplySetfield(oxms));
        return f.buildTableFeatures().setTableId(TableId.of(t)).setName(UNNAMED_TABLE)
                .setMetadataMatch(U64.NO_MASK).setMetadataWrite(U64.ZERO).setConfig(0).setMaxEntries(MAX_ENTRIES)
                .setProperties(props).build();
    }

    /** OVS's OF1.0 OFPST_PORT_DESC (stats type 13): the phy_port list in a stats reply. */
    void portDesc10(int xid) {
        List<OFPortDesc> ports = portDescs();
        ByteBuf b = OfWire.start(OfWire.OF10, OfWire.OFPT10_STATS_REPLY, xid);
        b.writeShort(OfWire.OFPST10_PORT_DESC).writeShort(0);
        for (OFPortDesc p : ports) {
            p.writeTo(b);
        }
        s.send(OfWire.finish(b));
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
