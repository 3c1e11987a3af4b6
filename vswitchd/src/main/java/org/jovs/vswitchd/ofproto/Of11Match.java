package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV2;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The OpenFlow 1.1 standard match (ofp11_match) to and from a {@link FlowMatch}, field by
 * field as OVS's ofputil_match_from_ofp11_match and ofputil_match_to_ofp11_match: wildcard
 * bits for the scalar fields, inverted masks (1 = any) for the addresses and metadata, a VLAN
 * as a VID or OFPVID11_ANY / OFPVID11_NONE, ICMP type and code in the port fields. Loxi only
 * carries the raw fields (its Match view of this structure is incomplete). Pure logic.
 */
final class Of11Match {
    private static final int FW_IN_PORT = 1 << 0;
    private static final int FW_DL_VLAN = 1 << 1;
    private static final int FW_DL_VLAN_PCP = 1 << 2;
    private static final int FW_DL_TYPE = 1 << 3;
    private static final int FW_NW_TOS = 1 << 4;
    private static final int FW_NW_PROTO = 1 << 5;
    private static final int FW_TP_SRC = 1 << 6;
    private static final int FW_TP_DST = 1 << 7;
    private static final int FW_MPLS_LABEL = 1 << 8;
    private static final int FW_MPLS_TC = 1 << 9;
    private static final int VID_ANY = 0xfffe;
    private static final int VID_NONE = 0xffff;
    private static final int VLAN_CFI = 0x1000;
    private static final int IP_DSCP_MASK = 0xfc;
    private static final long MAC_ALL = 0xffffffffffffL;
    private static final long IP_ALL = 0xffffffffL;

    private Of11Match() {
    }

    static FlowMatch read(OFMatchV2 m) throws OfError.OfErrorException {
        FlowMatch fm = new FlowMatch();
        int wc = m.getWildcards();
        if ((wc & FW_IN_PORT) == 0) {
            fm.setExact(FlowField.IN_PORT, OfPorts.fromLoxi(m.getInPort()));
        }
        long srcMask = ~m.getEthSrcMask().getLong() & MAC_ALL;
        long dstMask = ~m.getEthDstMask().getLong() & MAC_ALL;
        if (srcMask != 0 || dstMask != 0) {
            fm.set(FlowField.DL_SRC, m.getEthSrc().getLong() & srcMask, srcMask);
            fm.set(FlowField.DL_DST, m.getEthDst().getLong() & dstMask, dstMask);
        }
        if ((wc & FW_DL_VLAN) == 0) {
            int vid = m.getVlanVid();
            if (vid == VID_NONE) {
                fm.set(FlowField.VLAN_TCI, 0, 0xffff);
            } else {
                long tci;
                long mask;
                if (vid == VID_ANY) {
                    tci = VLAN_CFI;
                    mask = VLAN_CFI;
                } else if (vid < 4096) {
                    tci = VLAN_CFI | vid;
                    mask = VLAN_CFI | 0xfff;
                } else {
                    throw OfError.BAD_MATCH_VALUE.exception("dl_vlan " + vid);
                }
                if ((wc & FW_DL_VLAN_PCP) == 0) {
                    if (m.getVlanPcp() > 7) {
                        throw OfError.BAD_MATCH_VALUE.exception("dl_vlan_pcp " + m.getVlanPcp());
                    }
                    tci |= (long) m.getVlanPcp() << 13;
                    mask |= 0xe000;
                }
                fm.set(FlowField.VLAN_TCI, tci, mask);
            }
        }
        long dlType = -1;
        if ((wc & FW_DL_TYPE) == 0) {
            dlType = m.getEthType();
            fm.setExact(FlowField.DL_TYPE, dlType);
        }
        boolean ip = dlType == 0x0800;
        if (ip && (wc & FW_NW_TOS) == 0) {
            if ((m.getIpDscp() & ~IP_DSCP_MASK) != 0) {
                throw OfError.BAD_MATCH_VALUE.exception("nw_tos " + m.getIpDscp());
            }
            fm.set(FlowField.NW_TOS, m.getIpDscp(), IP_DSCP_MASK);
        }
        if (ip || dlType == 0x0806 || dlType == 0x8035) {
            if ((wc & FW_NW_PROTO) == 0) {
                fm.setExact(FlowField.NW_PROTO, m.getIpProto());
            }
            setMasked(fm, FlowField.NW_SRC, m.getIpv4Src().getInt() & IP_ALL, ~m.getIpv4SrcMask().getInt() & IP_ALL);
            setMasked(fm, FlowField.NW_DST, m.getIpv4Dst().getInt() & IP_ALL, ~m.getIpv4DstMask().getInt() & IP_ALL);
        }
        long proto = fm.isExact(FlowField.NW_PROTO) ? fm.value(FlowField.NW_PROTO) : -1;
        if (ip && (proto == 1 || proto == 6 || proto == 17 || proto == 132)) {
            // ICMP's type and code are bytes: more is a field ICMP has not got.
            int max = proto == 1 ? 0xff : 0xffff;
            if ((wc & FW_TP_SRC) == 0) {
                if (m.getTcpSrc() > max) {
                    throw OfError.BAD_MATCH_FIELD.exception("icmp_type " + m.getTcpSrc());
                }
                fm.setExact(FlowField.TP_SRC, m.getTcpSrc());
            }
            if ((wc & FW_TP_DST) == 0) {
                if (m.getTcpDst() > max) {
                    throw OfError.BAD_MATCH_FIELD.exception("icmp_code " + m.getTcpDst());
                }
                fm.setExact(FlowField.TP_DST, m.getTcpDst());
            }
        }
        setMasked(fm, FlowField.METADATA, m.getMetadata().getValue(), ~m.getMetadataMask().getValue());
        return fm;
    }

    private static void setMasked(FlowMatch fm, FlowField f, long value, long mask) {
        if (mask != 0) {
            fm.set(f, value & mask, mask);
        }
    }

    static OFMatchV2 write(OFFactory f, FlowMatch fm) {
        int wc = FW_MPLS_LABEL | FW_MPLS_TC;
        var b = f.buildMatchV2();
        if (fm.isWildcard(FlowField.IN_PORT)) {
            wc |= FW_IN_PORT;
            b.setInPort(OFPort.of(0));
        } else {
            b.setInPort(OfPorts.toLoxi((int) fm.value(FlowField.IN_PORT)));
        }
        b.setEthSrc(MacAddress.of(fm.value(FlowField.DL_SRC)))
                .setEthSrcMask(MacAddress.of(~fm.mask(FlowField.DL_SRC) & MAC_ALL))
                .setEthDst(MacAddress.of(fm.value(FlowField.DL_DST)))
                .setEthDstMask(MacAddress.of(~fm.mask(FlowField.DL_DST) & MAC_ALL));
        long tciMask = fm.mask(FlowField.VLAN_TCI);
        long tci = fm.value(FlowField.VLAN_TCI);
        int vid = 0;
        short pcp = 0;
        if (tciMask == 0) {
            wc |= FW_DL_VLAN | FW_DL_VLAN_PCP;
        } else if ((tciMask & VLAN_CFI) != 0 && (tci & VLAN_CFI) == 0) {
            vid = VID_NONE;
            wc |= FW_DL_VLAN_PCP;
        } else {
            vid = (tciMask & 0xfff) == 0 ? VID_ANY : (int) (tci & 0xfff);
            if ((tciMask & 0xe000) == 0) {
                wc |= FW_DL_VLAN_PCP;
            } else {
                pcp = (short) (tci >>> 13 & 7);
            }
        }
        b.setVlanVid(vid).setVlanPcp(pcp);
        if (fm.isWildcard(FlowField.DL_TYPE)) {
            wc |= FW_DL_TYPE;
        }
        b.setEthType((int) fm.value(FlowField.DL_TYPE));
        if ((fm.mask(FlowField.NW_TOS) & IP_DSCP_MASK) == 0) {
            wc |= FW_NW_TOS;
        }
        b.setIpDscp((short) (fm.value(FlowField.NW_TOS) & IP_DSCP_MASK));
        if (fm.isWildcard(FlowField.NW_PROTO)) {
            wc |= FW_NW_PROTO;
        }
        b.setIpProto((short) fm.value(FlowField.NW_PROTO));
        b.setIpv4Src(IPv4Address.of((int) fm.value(FlowField.NW_SRC)))
                .setIpv4SrcMask(IPv4Address.of((int) ~fm.mask(FlowField.NW_SRC)))
                .setIpv4Dst(IPv4Address.of((int) fm.value(FlowField.NW_DST)))
                .setIpv4DstMask(IPv4Address.of((int) ~fm.mask(FlowField.NW_DST)));
        if (fm.isWildcard(FlowField.TP_SRC)) {
            wc |= FW_TP_SRC;
        }
        if (fm.isWildcard(FlowField.TP_DST)) {
            wc |= FW_TP_DST;
        }
        b.setTcpSrc((int) fm.value(FlowField.TP_SRC)).setTcpDst((int) fm.value(FlowField.TP_DST));
        b.setMplsLabel(0).setMplsTc((short) 0).setMetadata(U64.of(fm.value(FlowField.METADATA)))
                .setMetadataMask(U64.of(~fm.mask(FlowField.METADATA)));
        return b.setWildcards(wc).build();
    }
}
