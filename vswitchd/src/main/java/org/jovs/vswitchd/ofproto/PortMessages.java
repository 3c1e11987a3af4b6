package org.jovs.vswitchd.ofproto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.U64;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A port as OpenFlow describes it, in each version's encoding as OVS writes it: the
 * description (ofp10_phy_port; ofp11_port; from 1.4 ofp14_port with an Ethernet property) and
 * the statistics (Loxi's entries up to 1.3; from 1.4 written here, as OVS adds Intel
 * experimenter properties Loxi cannot write: the RFC 2819 counters, and the device's custom
 * counters when it has any). Pure logic.
 */
final class PortMessages {
    /** OVS's names of the standard device counters (bridge.c IFACE_STATS); any other a device gives is custom. */
    private static final Set<String> STANDARD_STATS = Set.of("rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
            "rx_dropped", "tx_dropped", "rx_errors", "tx_errors", "rx_frame_err", "rx_over_err", "rx_crc_err",
            "rx_missed_errors", "collisions", "rx_multicast_packets");
    /** intel_port_stats_rfc2819's counters, in order. */
    private static final List<String> RFC2819_STATS = List.of("rx_1_to_64_packets", "rx_65_to_127_packets",
            "rx_128_to_255_packets", "rx_256_to_511_packets", "rx_512_to_1023_packets", "rx_1024_to_1522_packets",
            "rx_1523_to_max_packets", "tx_1_to_64_packets", "tx_65_to_127_packets", "tx_128_to_255_packets",
            "tx_256_to_511_packets", "tx_512_to_1023_packets", "tx_1024_to_1522_packets", "tx_1523_to_max_packets",
            "tx_multicast_packets", "rx_broadcast_packets", "tx_broadcast_packets", "rx_undersized_errors",
            "rx_oversize_errors", "rx_fragmented_errors", "rx_jabber_errors");
    private static final int OFPPSPT14_ETHERNET = 0;
    private static final int OFPPSPT14_EXPERIMENTER = 0xffff;
    private static final int INTEL_VENDOR_ID = 0x0000aa01;
    private static final int INTEL_PORT_STATS_RFC2819 = 1;
    private static final int INTEL_PORT_STATS_CUSTOM = 2;
    /** ofp14_port_stats before its properties. */
    private static final int OF14_PORT_STATS_LEN = 80;
    private static final long UNKNOWN = -1;

    private PortMessages() {
    }

    /** OFP_MAX_PORT_NAME_LEN: a port name on the wire, NUL included. */
    private static final int MAX_PORT_NAME_LEN = 16;

    /** 'name' as the wire carries it: cut to 15 bytes, as OVS's ofputil_put_phy_port() cuts it. */
    static String wireName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return b.length < MAX_PORT_NAME_LEN ? name : new String(b, 0, MAX_PORT_NAME_LEN - 1, StandardCharsets.UTF_8);
    }

    static OFPortDesc portDesc(OFFactory f, OfPort p) {
        OFVersion v = f.getVersion();
        Set<OFPortState> state = EnumSet.noneOf(OFPortState.class);
        if (!p.carrier()) {
            state.add(OFPortState.LINK_DOWN);
        } else if (v != OFVersion.OF_10 && p.adminUp()) {
            state.add(OFPortState.LIVE);
        }
        Set<OFPortFeatures> curr = features(p);
        var b = f.buildPortDesc().setPortNo(OfPorts.toLoxi(p.number())).setHwAddr(MacAddress.of(p.mac()))
                .setName(wireName(p.name())).setConfig(p.adminUp() ? EnumSet.noneOf(OFPortConfig.class)
                        : EnumSet.of(OFPortConfig.PORT_DOWN))
                .setState(state);
        long speedKbps = p.speedBps() / 1000;
        if (v.compareTo(OFVersion.OF_14) >= 0) {
            b.setProperties(List.of(f.buildPortDescPropEthernet().setCurr(bits(curr)).setAdvertised(0).setSupported(0)
                    .setPeer(0).setCurrSpeed(speedKbps).setMaxSpeed(0).build()));
            return b.build();
        }
        b.setCurr(curr).setAdvertised(EnumSet.noneOf(OFPortFeatures.class))
                .setSupported(EnumSet.noneOf(OFPortFeatures.class)).setPeer(EnumSet.noneOf(OFPortFeatures.class));
        if (v != OFVersion.OF_10) {
            b.setCurrSpeed(speedKbps).setMaxSpeed(0);
        }
        return b.build();
    }

    static List<OFPortDesc> portDescs(OFFactory f, List<OfPort> ports) {
        List<OFPortDesc> out = new ArrayList<>();
        for (OfPort p : ports) {
            out.add(portDesc(f, p));
        }
        return out;
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

    /** OFPPF_* as the OF1.1+ bitmap (the same bits in every version from 1.1 on). */
    private static long bits(Set<OFPortFeatures> features) {
        long out = 0;
        for (OFPortFeatures pf : features) {
            out |= switch (pf) {
            case PF_10MB_HD -> 1 << 0;
            case PF_10MB_FD -> 1 << 1;
            case PF_100MB_HD -> 1 << 2;
            case PF_100MB_FD -> 1 << 3;
            case PF_1GB_HD -> 1 << 4;
            case PF_1GB_FD -> 1 << 5;
            case PF_10GB_FD -> 1 << 6;
            case PF_OTHER -> 1 << 10;
            case PF_COPPER -> 1 << 11;
            default -> 0;
            };
        }
        return out;
    }

    /**
     * OVS's OFPST_PORT_DESC before OpenFlow 1.3 (stats type 13, its extension): the port list in
     * a stats reply, OF1.0 ofp10_phy_port or OF1.1-1.2 ofp11_port entries.
     */
    static byte[] oldPortDescReply(OFFactory f, int xid, List<OfPort> ports) {
        int version = f.getVersion().getWireVersion();
        boolean v10 = version == OfWire.OF10;
        ByteBuf b = OfWire.start(version, v10 ? OfWire.OFPT10_STATS_REPLY : OfWire.OFPT11_MULTIPART_REPLY, xid);
        b.writeShort(OfWire.OFPST10_PORT_DESC).writeShort(0);
        if (!v10) {
            b.writeZero(4);
        }
        for (OFPortDesc p : portDescs(f, ports)) {
            p.writeTo(b);
        }
        return OfWire.finish(b);
    }

    /**
     * One port's statistics up to OpenFlow 1.3; 'durationMs' (how long the port has been there)
     * is not said in 1.0-1.2.
     */
    static OFPortStatsEntry portStats(OFFactory f, int port, Map<String, Long> st, long durationMs) {
        var b = f.buildPortStatsEntry().setPortNo(OfPorts.toLoxi(port))
                .setRxPackets(stat(st, "rx_packets")).setTxPackets(stat(st, "tx_packets"))
                .setRxBytes(stat(st, "rx_bytes")).setTxBytes(stat(st, "tx_bytes"))
                .setRxDropped(stat(st, "rx_dropped")).setTxDropped(stat(st, "tx_dropped"))
                .setRxErrors(stat(st, "rx_errors")).setTxErrors(stat(st, "tx_errors"))
                .setRxFrameErr(stat(st, "rx_frame_err")).setRxOverErr(stat(st, "rx_over_err"))
                .setRxCrcErr(stat(st, "rx_crc_err")).setCollisions(stat(st, "collisions"));
        if (f.getVersion().compareTo(OFVersion.OF_13) >= 0) {
            b.setDurationSec(durationMs / 1000).setDurationNsec(durationMs % 1000 * 1_000_000);
        }
        return b.build();
    }

    private static U64 stat(Map<String, Long> st, String key) {
        return U64.of(rawStat(st, key));
    }

    /** A counter, or all ones (OVS's UINT64_MAX) when the device does not keep it. */
    private static long rawStat(Map<String, Long> st, String key) {
        Long v = st.get(key);
        return v == null ? UNKNOWN : v;
    }

    /** One port's ofp14_port_stats (OpenFlow 1.4+), with its properties, as ofputil_append_ofp14_port_stats. */
    static ByteBuf portStats14(int port, Map<String, Long> st, long durationMs) {
        ByteBuf b = Unpooled.buffer(OF14_PORT_STATS_LEN + 256);
        b.writeShort(0).writeShort(0).writeInt(OfPorts.toLoxi(port).getPortNumber())
                .writeInt((int) (durationMs / 1000)).writeInt((int) (durationMs % 1000 * 1_000_000));
        for (String key : List.of("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped", "tx_dropped",
                "rx_errors", "tx_errors")) {
            b.writeLong(rawStat(st, key));
        }
        b.writeShort(OFPPSPT14_ETHERNET).writeShort(40).writeInt(0);
        for (String key : List.of("rx_frame_err", "rx_over_err", "rx_crc_err", "collisions")) {
            b.writeLong(rawStat(st, key));
        }
        int rfcAt = b.writerIndex();
        b.writeShort(OFPPSPT14_EXPERIMENTER).writeShort(0).writeInt(INTEL_VENDOR_ID).writeInt(INTEL_PORT_STATS_RFC2819)
                .writeInt(0);
        for (String key : RFC2819_STATS) {
            b.writeLong(rawStat(st, key));
        }
        b.setShort(rfcAt + 2, b.writerIndex() - rfcAt);
        List<Map.Entry<String, Long>> custom = new ArrayList<>();
        for (Map.Entry<String, Long> e : st.entrySet()) {
            if (!STANDARD_STATS.contains(e.getKey()) && !RFC2819_STATS.contains(e.getKey())) {
                custom.add(e);
            }
        }
        if (!custom.isEmpty()) {
            int customAt = b.writerIndex();
            b.writeShort(OFPPSPT14_EXPERIMENTER).writeShort(0).writeInt(INTEL_VENDOR_ID)
                    .writeInt(INTEL_PORT_STATS_CUSTOM).writeShort(0).writeShort(custom.size());
            for (Map.Entry<String, Long> e : custom) {
                byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
                b.writeByte(name.length).writeBytes(name).writeLong(e.getValue());
            }
            b.setShort(customAt + 2, b.writerIndex() - customAt);
            b.writeZero((8 - b.writerIndex() % 8) % 8);
        }
        b.setShort(0, b.writerIndex());
        return b;
    }
}
