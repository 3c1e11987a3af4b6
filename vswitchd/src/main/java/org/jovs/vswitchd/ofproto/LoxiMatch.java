package org.jovs.vswitchd.ofproto;

import java.util.function.ToLongFunction;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV2;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

/**
 * Converts between Loxi's {@link Match} (OF1.0 ofp_match, OF1.2+ OXM; OF1.1's ofp11_match is
 * {@link Of11Match}'s) and a
 * {@link FlowMatch}. Writing puts prerequisites first, as OVS's decoder wants. Fields a version
 * cannot carry are left out of a reply (OF1.0 has no registers); a request with a field this
 * switch does not match on gets OFPBMC_BAD_FIELD. Pure logic.
 */
final class LoxiMatch {
    private LoxiMatch() {
    }

    static FlowMatch read(Match m) throws OfError.OfErrorException {
        if (m instanceof OFMatchV2 v2) {
            return Of11Match.read(v2);
        }
        FlowMatch fm = new FlowMatch();
        for (MatchField<?> f : m.getMatchFields()) {
            switch (f.id) {
            case IN_PORT -> copy(m, MatchField.IN_PORT, fm, FlowField.IN_PORT, OfPorts::fromLoxi);
            case ETH_DST -> copy(m, MatchField.ETH_DST, fm, FlowField.DL_DST, MacAddress::getLong);
            case ETH_SRC -> copy(m, MatchField.ETH_SRC, fm, FlowField.DL_SRC, MacAddress::getLong);
            case ETH_TYPE -> copy(m, MatchField.ETH_TYPE, fm, FlowField.DL_TYPE, EthType::getValue);
            case VLAN_VID -> {
                long[] vm = valueMask(m, MatchField.VLAN_VID, v -> v.getRawVid() & 0x1fff);
                // "No tag": OF1.0's dl_vlan=none is the whole TCI 0, OXM's vlan_vid=0 its VID and
                // CFI bits, as OVS reads them.
                long none = m.getVersion() == OFVersion.OF_10 ? 0xffff : 0x1fff;
                long mask = vm[1] == -1 ? (vm[0] == 0 ? none : 0x1fff) : vm[1] & 0x1fff;
                merge(fm, FlowField.VLAN_TCI, vm[0], mask);
            }
            case VLAN_PCP -> {
                // A priority says nothing about frames without a tag (OF1.0's dl_vlan=none).
                if (!untagged(m)) {
                    long[] vm = valueMask(m, MatchField.VLAN_PCP, p -> p.getValue());
                    merge(fm, FlowField.VLAN_TCI, vm[0] << 13 | 0x1000, 0xe000 | 0x1000);
                }
            }
            case IP_DSCP -> merge(fm, FlowField.NW_TOS, valueMask(m, MatchField.IP_DSCP, d -> d.getDscpValue())[0] << 2,
                    0xfc);
            case IP_ECN -> merge(fm, FlowField.NW_TOS, valueMask(m, MatchField.IP_ECN, e -> e.getEcnValue())[0], 0x03);
            case IP_PROTO -> copy(m, MatchField.IP_PROTO, fm, FlowField.NW_PROTO, IpProtocol::getIpProtocolNumber);
            case IPV4_SRC -> copy(m, MatchField.IPV4_SRC, fm, FlowField.NW_SRC, a -> a.getInt() & 0xffffffffL);
            case IPV4_DST -> copy(m, MatchField.IPV4_DST, fm, FlowField.NW_DST, a -> a.getInt() & 0xffffffffL);
            case TCP_SRC -> copy(m, MatchField.TCP_SRC, fm, FlowField.TP_SRC, TransportPort::getPort);
            case TCP_DST -> copy(m, MatchField.TCP_DST, fm, FlowField.TP_DST, TransportPort::getPort);
            case UDP_SRC -> copy(m, MatchField.UDP_SRC, fm, FlowField.TP_SRC, TransportPort::getPort);
            case UDP_DST -> copy(m, MatchField.UDP_DST, fm, FlowField.TP_DST, TransportPort::getPort);
            case SCTP_SRC -> copy(m, MatchField.SCTP_SRC, fm, FlowField.TP_SRC, TransportPort::getPort);
            case SCTP_DST -> copy(m, MatchField.SCTP_DST, fm, FlowField.TP_DST, TransportPort::getPort);
            case ICMPV4_TYPE -> copy(m, MatchField.ICMPV4_TYPE, fm, FlowField.TP_SRC, ICMPv4Type::getType);
            case ICMPV4_CODE -> copy(m, MatchField.ICMPV4_CODE, fm, FlowField.TP_DST, ICMPv4Code::getCode);
            case ICMPV6_TYPE -> copy(m, MatchField.ICMPV6_TYPE, fm, FlowField.TP_SRC, U8::getValue);
            case ICMPV6_CODE -> copy(m, MatchField.ICMPV6_CODE, fm, FlowField.TP_DST, U8::getValue);
            case ARP_OP -> copy(m, MatchField.ARP_OP, fm, FlowField.NW_PROTO, ArpOpcode::getOpcode);
            case ARP_SPA -> copy(m, MatchField.ARP_SPA, fm, FlowField.NW_SRC, a -> a.getInt() & 0xffffffffL);
            case ARP_TPA -> copy(m, MatchField.ARP_TPA, fm, FlowField.NW_DST, a -> a.getInt() & 0xffffffffL);
            case ARP_SHA -> copy(m, MatchField.ARP_SHA, fm, FlowField.ARP_SHA, MacAddress::getLong);
            case ARP_THA -> copy(m, MatchField.ARP_THA, fm, FlowField.ARP_THA, MacAddress::getLong);
            case IPV6_SRC -> {
                copy(m, MatchField.IPV6_SRC, fm, FlowField.IPV6_SRC_HI, a -> half(a, 0));
                copy(m, MatchField.IPV6_SRC, fm, FlowField.IPV6_SRC_LO, a -> half(a, 8));
            }
            case IPV6_DST -> {
                copy(m, MatchField.IPV6_DST, fm, FlowField.IPV6_DST_HI, a -> half(a, 0));
                copy(m, MatchField.IPV6_DST, fm, FlowField.IPV6_DST_LO, a -> half(a, 8));
            }
            case METADATA -> copy(m, MatchField.METADATA, fm, FlowField.METADATA, md -> md.getValue().getValue());
            default -> throw OfError.BAD_MATCH_FIELD.exception("unsupported match field " + f.getName());
            }
        }
        return fm;
    }

    private static boolean untagged(Match m) {
        return m.isExact(MatchField.VLAN_VID) && (m.get(MatchField.VLAN_VID).getRawVid() & 0x1000) == 0;
    }

    private static <T extends OFValueType<T>> void copy(Match m, MatchField<T> mf, FlowMatch fm, FlowField f,
            ToLongFunction<T> conv) {
        long[] vm = valueMask(m, mf, conv);
        fm.set(f, vm[0], vm[1]);
    }

    /** The value and mask of 'mf' in 'm'; the mask is -1 when exact. */
    private static <T extends OFValueType<T>> long[] valueMask(Match m, MatchField<T> mf, ToLongFunction<T> conv) {
        if (m.isExact(mf)) {
            return new long[] {conv.applyAsLong(m.get(mf)), -1};
        }
        Masked<T> masked = m.getMasked(mf);
        return new long[] {conv.applyAsLong(masked.getValue()), conv.applyAsLong(masked.getMask())};
    }

    private static long half(IPv6Address a, int from) {
        return java.nio.ByteBuffer.wrap(a.getBytes()).getLong(from);
    }

    private static void merge(FlowMatch fm, FlowField f, long value, long mask) {
        fm.set(f, fm.value(f) & ~mask | value & mask, fm.mask(f) | mask);
    }

    /** Loxi's match for 'fm' in the version of 'factory'. */
    static Match write(OFFactory factory, FlowMatch fm) {
        if (factory.getVersion() == OFVersion.OF_11) {
            return Of11Match.write(factory, fm);
        }
        Match.Builder b = factory.buildMatch();
        set(b, MatchField.IN_PORT, fm, FlowField.IN_PORT, v -> OfPorts.toLoxi((int) v));
        set(b, MatchField.ETH_DST, fm, FlowField.DL_DST, MacAddress::of);
        set(b, MatchField.ETH_SRC, fm, FlowField.DL_SRC, MacAddress::of);
        set(b, MatchField.ETH_TYPE, fm, FlowField.DL_TYPE, v -> EthType.of((int) v));
        long tciMask = fm.mask(FlowField.VLAN_TCI);
        long tci = fm.value(FlowField.VLAN_TCI);
        if ((tciMask & 0x1fff) != 0) {
            OFVlanVidMatch vid = OFVlanVidMatch.ofRawVid((short) (tci & 0x1fff));
            if ((tciMask & 0x1fff) == 0x1fff) {
                b.setExact(MatchField.VLAN_VID, vid);
            } else {
                b.setMasked(MatchField.VLAN_VID, vid, OFVlanVidMatch.ofRawVid((short) (tciMask & 0x1fff)));
            }
        }
        // As OVS, a priority only with a tag (the prerequisite OVS checks when it decodes).
        if ((tciMask & 0xe000) == 0xe000 && (tci & 0x1000) != 0) {
            trySet(b, MatchField.VLAN_PCP, VlanPcp.of((byte) (tci >>> 13)));
        }
        long dlType = fm.isExact(FlowField.DL_TYPE) ? fm.value(FlowField.DL_TYPE) : -1;
        long tosMask = fm.mask(FlowField.NW_TOS);
        if ((tosMask & 0xfc) != 0) {
            trySet(b, MatchField.IP_DSCP, IpDscp.of((byte) (fm.value(FlowField.NW_TOS) >>> 2)));
        }
        if ((tosMask & 0x03) != 0) {
            trySet(b, MatchField.IP_ECN, IpEcn.of((byte) (fm.value(FlowField.NW_TOS) & 3)));
        }
        if (dlType == 0x0806) {
            set(b, MatchField.ARP_OP, fm, FlowField.NW_PROTO, v -> ArpOpcode.of((int) v));
            set(b, MatchField.ARP_SPA, fm, FlowField.NW_SRC, v -> IPv4Address.of((int) v));
            set(b, MatchField.ARP_TPA, fm, FlowField.NW_DST, v -> IPv4Address.of((int) v));
            set(b, MatchField.ARP_SHA, fm, FlowField.ARP_SHA, MacAddress::of);
            set(b, MatchField.ARP_THA, fm, FlowField.ARP_THA, MacAddress::of);
        } else {
            set(b, MatchField.IP_PROTO, fm, FlowField.NW_PROTO, v -> IpProtocol.of((short) v));
            set(b, MatchField.IPV4_SRC, fm, FlowField.NW_SRC, v -> IPv4Address.of((int) v));
            set(b, MatchField.IPV4_DST, fm, FlowField.NW_DST, v -> IPv4Address.of((int) v));
        }
        if (dlType == 0x86dd) {
            setIpv6(b, MatchField.IPV6_SRC, fm, FlowField.IPV6_SRC_HI, FlowField.IPV6_SRC_LO);
            setIpv6(b, MatchField.IPV6_DST, fm, FlowField.IPV6_DST_HI, FlowField.IPV6_DST_LO);
        }
        long proto = fm.isExact(FlowField.NW_PROTO) ? fm.value(FlowField.NW_PROTO) : -1;
        if (proto == 6) {
            set(b, MatchField.TCP_SRC, fm, FlowField.TP_SRC, v -> TransportPort.of((int) v));
            set(b, MatchField.TCP_DST, fm, FlowField.TP_DST, v -> TransportPort.of((int) v));
        } else if (proto == 17) {
            set(b, MatchField.UDP_SRC, fm, FlowField.TP_SRC, v -> TransportPort.of((int) v));
            set(b, MatchField.UDP_DST, fm, FlowField.TP_DST, v -> TransportPort.of((int) v));
        } else if (proto == 132) {
            set(b, MatchField.SCTP_SRC, fm, FlowField.TP_SRC, v -> TransportPort.of((int) v));
            set(b, MatchField.SCTP_DST, fm, FlowField.TP_DST, v -> TransportPort.of((int) v));
        } else if (proto == 1 && dlType == 0x0800) {
            set(b, MatchField.ICMPV4_TYPE, fm, FlowField.TP_SRC, v -> ICMPv4Type.of((short) v));
            set(b, MatchField.ICMPV4_CODE, fm, FlowField.TP_DST, v -> ICMPv4Code.of((short) v));
        } else if (proto == 58 && dlType == 0x86dd) {
            set(b, MatchField.ICMPV6_TYPE, fm, FlowField.TP_SRC, v -> U8.of((short) v));
            set(b, MatchField.ICMPV6_CODE, fm, FlowField.TP_DST, v -> U8.of((short) v));
        }
        set(b, MatchField.METADATA, fm, FlowField.METADATA, v -> OFMetadata.of(U64.of(v)));
        return b.build();
    }

    @FunctionalInterface
    private interface FromLong<T> {
        T of(long v);
    }

    private static <T extends OFValueType<T>> void set(Match.Builder b, MatchField<T> mf, FlowMatch fm, FlowField f,
            FromLong<T> conv) {
        if (fm.isWildcard(f)) {
            return;
        }
        try {
            if (fm.isExact(f)) {
                b.setExact(mf, conv.of(fm.value(f)));
            } else {
                b.setMasked(mf, conv.of(fm.value(f)), conv.of(fm.mask(f)));
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not expressible in this version's match: the flow is shown without it.
        }
    }

    private static <T extends OFValueType<T>> void trySet(Match.Builder b, MatchField<T> mf, T value) {
        try {
            b.setExact(mf, value);
        } catch (UnsupportedOperationException e) {
            // As in set().
        }
    }

    private static void setIpv6(Match.Builder b, MatchField<IPv6Address> mf, FlowMatch fm, FlowField hi, FlowField lo) {
        if (fm.isWildcard(hi) && fm.isWildcard(lo)) {
            return;
        }
        IPv6Address v = IPv6Address.of(fm.value(hi), fm.value(lo));
        try {
            if (fm.isExact(hi) && fm.isExact(lo)) {
                b.setExact(mf, v);
            } else {
                b.setMasked(mf, v, IPv6Address.of(fm.mask(hi), fm.mask(lo)));
            }
        } catch (UnsupportedOperationException e) {
            // As in set().
        }
    }
}
