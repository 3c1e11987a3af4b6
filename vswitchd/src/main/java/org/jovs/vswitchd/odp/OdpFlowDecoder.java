package org.jovs.vswitchd.odp;

import java.util.List;

/**
 * Turns a parsed datapath flow key into flow fields, as OVS's odp_flow_key_to_flow(): metadata,
 * then the Ethernet header, the Ethertype (or one inferred from ipv4/ipv6/mpls, or 802.2 without
 * any), up to 'vlanLimit' 802.1Q headers each with its encap(), the MPLS stack or the L3
 * header the Ethertype calls for, and the L4 header the protocol calls for.
 *
 * <p>Attributes the key lacks or has in excess make the fit less than perfect
 * ({@link Fitness}), which OVS only logs: the flow is still used. What OVS rejects
 * (ODP_FIT_ERROR) throws {@link OdpParseException} with OVS's message: a duplicate attribute, an
 * Ethertype below 0x600, a nonzero VLAN TCI without CFI, an ARP opcode above 255, an MPLS
 * bottom-of-stack bit above the innermost label, a tunnel without ttl; each followed by "; the
 * flow key in error is: " and the key as OVS prints it.
 */
public final class OdpFlowDecoder {
    /** How well a key fits what its attributes call for (enum odp_key_fitness, less ERROR). */
    public enum Fitness { PERFECT, TOO_MUCH, TOO_LITTLE }

    /** The flow a key describes and how well the key fits it. */
    public record Decoded(OdpFlow flow, Fitness fitness) {}

    private static final int ETH_TYPE_MIN = 0x600;
    private static final int VLAN_CFI = 0x1000;
    private static final int MPLS_BOS = 0x100;
    /** OVS_KEY_ATTR_NSH, which this package does not parse but an NSH Ethertype expects. */
    private static final long NSH_BIT = 1L << 28;

    private final List<OdpAttr> key;
    private final OdpFlow flow = new OdpFlow();
    /** The attributes of the level being decoded, by type (encap() replaces them). */
    private final OdpAttr[] attrs = new OdpAttr[32];
    private long present;
    private long expected;

    private OdpFlowDecoder(List<OdpAttr> key) {
        this.key = key;
    }

    /**
     * Decodes 'key' with 'vlanLimit' as other_config:vlan-limit gives it (0 for no limit but
     * the two headers a flow has room for; OVS's default is 1).
     */
    public static Decoded decode(List<OdpAttr> key, int vlanLimit) throws OdpParseException {
        OdpFlowDecoder d = new OdpFlowDecoder(key);
        int limit = vlanLimit <= 0 ? OdpFlow.MAX_VLAN_HEADERS
                : Math.min(vlanLimit, OdpFlow.MAX_VLAN_HEADERS);
        return new Decoded(d.flow, d.decode(limit));
    }

    private OdpParseException error(String message) {
        return new OdpParseException(message + "; the flow key in error is: "
                + OdpKeyFormatter.format(key));
    }

    private boolean has(OdpKeyAttr a) {
        return (present & a.bit()) != 0;
    }

    private long scalar(OdpKeyAttr a) {
        return ((OdpAttr.Scalar) attrs[a.type]).value();
    }

    /** Indexes one level of attributes (parse_flow_nlattrs). */
    private void index(List<OdpAttr> level) throws OdpParseException {
        present = 0;
        for (OdpAttr a : level) {
            OdpKeyAttr t = a.attr();
            if (has(t)) {
                throw error("duplicate " + t.odpName + " attribute in flow key");
            }
            present |= t.bit();
            attrs[t.type] = a;
        }
    }

    private Fitness decode(int vlanLimit) throws OdpParseException {
        index(key);
        expected = 0;
        metadata();
        if (has(OdpKeyAttr.ETHERNET)) {
            OdpAttr.Ethernet e = (OdpAttr.Ethernet) attrs[OdpKeyAttr.ETHERNET.type];
            flow.dlSrc = e.src().clone();
            flow.dlDst = e.dst().clone();
            flow.packetType = 0;
            expected |= OdpKeyAttr.ETHERNET.bit();
        } else if (has(OdpKeyAttr.ETHERTYPE)) {
            flow.packetType = 1L << 16 | scalar(OdpKeyAttr.ETHERTYPE);
            expected |= OdpKeyAttr.ETHERTYPE.bit();
        }
        ethertype();
        return isVlan(flow.dlType) ? vlans(vlanLimit) : l2_5Onward(true);
    }

    private void metadata() throws OdpParseException {
        if (has(OdpKeyAttr.RECIRC_ID)) {
            flow.recircId = take(OdpKeyAttr.RECIRC_ID);
        }
        if (has(OdpKeyAttr.DP_HASH)) {
            flow.dpHash = take(OdpKeyAttr.DP_HASH);
        }
        if (has(OdpKeyAttr.PRIORITY)) {
            flow.skbPriority = take(OdpKeyAttr.PRIORITY);
        }
        if (has(OdpKeyAttr.SKB_MARK)) {
            flow.pktMark = take(OdpKeyAttr.SKB_MARK);
        }
        if (has(OdpKeyAttr.CT_STATE)) {
            // The datapath's bits are OVS's CS_* bits, of which there are eight.
            flow.ctState = (int) take(OdpKeyAttr.CT_STATE) & 0xff;
        }
        if (has(OdpKeyAttr.CT_ZONE)) {
            flow.ctZone = (int) take(OdpKeyAttr.CT_ZONE);
        }
        if (has(OdpKeyAttr.CT_MARK)) {
            flow.ctMark = take(OdpKeyAttr.CT_MARK);
        }
        if (has(OdpKeyAttr.CT_LABELS)) {
            OdpAttr.CtLabels l = (OdpAttr.CtLabels) attrs[OdpKeyAttr.CT_LABELS.type];
            flow.ctLabelHi = l.hi();
            flow.ctLabelLo = l.lo();
            expected |= OdpKeyAttr.CT_LABELS.bit();
        }
        if (has(OdpKeyAttr.CT_ORIG_TUPLE_IPV4)) {
            OdpAttr.CtTuple4 t = (OdpAttr.CtTuple4) attrs[OdpKeyAttr.CT_ORIG_TUPLE_IPV4.type];
            flow.ctNwSrc = t.src();
            flow.ctNwDst = t.dst();
            flow.ctNwProto = t.proto();
            flow.ctTpSrc = t.tpSrc();
            flow.ctTpDst = t.tpDst();
            expected |= OdpKeyAttr.CT_ORIG_TUPLE_IPV4.bit();
        }
        if (has(OdpKeyAttr.CT_ORIG_TUPLE_IPV6)) {
            OdpAttr.CtTuple6 t = (OdpAttr.CtTuple6) attrs[OdpKeyAttr.CT_ORIG_TUPLE_IPV6.type];
            flow.ctIpv6Src = t.src().clone();
            flow.ctIpv6Dst = t.dst().clone();
            flow.ctNwProto = t.proto();
            flow.ctTpSrc = t.tpSrc();
            flow.ctTpDst = t.tpDst();
            expected |= OdpKeyAttr.CT_ORIG_TUPLE_IPV6.bit();
        }
        if (has(OdpKeyAttr.TUNNEL)) {
            tunnel((OdpAttr.Tunnel) attrs[OdpKeyAttr.TUNNEL.type]);
            expected |= OdpKeyAttr.TUNNEL.bit();
        }
        if (has(OdpKeyAttr.IN_PORT)) {
            flow.inPort = take(OdpKeyAttr.IN_PORT);
        }
        if (has(OdpKeyAttr.PACKET_TYPE)) {
            flow.packetType = take(OdpKeyAttr.PACKET_TYPE);
            if (flow.packetType >>> 16 == 1) {
                flow.dlType = (int) flow.packetType & 0xffff;
            }
        }
    }

    /** The value of a single-number attribute, now expected. */
    private long take(OdpKeyAttr a) {
        expected |= a.bit();
        return scalar(a);
    }

    /** odp_tun_key_from_attr(): the tunnel fields, which must include a TTL. */
    private void tunnel(OdpAttr.Tunnel t) throws OdpParseException {
        boolean ttl = false;
        flow.hasTunnel = true;
        for (OdpAttr.TunnelAttr a : t.attrs()) {
            switch (a.type()) {
                case ID -> {
                    flow.tunId = a.value();
                    flow.tunFlags |= OdpFlow.TNL_F_KEY;
                }
                case IPV4_SRC -> flow.tunSrc = (int) a.value();
                case IPV4_DST -> flow.tunDst = (int) a.value();
                case IPV6_SRC -> flow.tunIpv6Src = a.addr().clone();
                case IPV6_DST -> flow.tunIpv6Dst = a.addr().clone();
                case TOS -> flow.tunTos = (int) a.value();
                case TTL -> {
                    flow.tunTtl = (int) a.value();
                    ttl = true;
                }
                case DONT_FRAGMENT -> flow.tunFlags |= OdpFlow.TNL_F_DONT_FRAGMENT;
                case CSUM -> flow.tunFlags |= OdpFlow.TNL_F_CSUM;
                case OAM -> flow.tunFlags |= OdpFlow.TNL_F_OAM;
                case TP_SRC -> flow.tunTpSrc = (int) a.value();
                case TP_DST -> flow.tunTpDst = (int) a.value();
            }
        }
        if (!ttl) {
            throw error("tunnel options missing TTL");
        }
    }

    private static boolean isVlan(int dlType) {
        return dlType == 0x8100 || dlType == 0x88a8;
    }

    private static boolean isMpls(int dlType) {
        return dlType == 0x8847 || dlType == 0x8848;
    }

    /** parse_ethertype(): eth_type() or the type its L3 attribute implies. */
    private void ethertype() throws OdpParseException {
        if (has(OdpKeyAttr.ETHERTYPE)) {
            flow.dlType = (int) scalar(OdpKeyAttr.ETHERTYPE);
            if (flow.dlType < ETH_TYPE_MIN) {
                throw error("invalid Ethertype " + flow.dlType + " in flow key");
            }
            expected |= OdpKeyAttr.ETHERTYPE.bit();
        } else if (has(OdpKeyAttr.IPV4)) {
            flow.dlType = 0x0800;
        } else if (has(OdpKeyAttr.IPV6)) {
            flow.dlType = 0x86dd;
        } else if (has(OdpKeyAttr.MPLS)) {
            flow.dlType = 0x8847;
        } else {
            flow.dlType = OdpFlow.DL_TYPE_NONE;
        }
    }

    /** parse_8021q_onward(): each 802.1Q header and what its encap() holds. */
    private Fitness vlans(int vlanLimit) throws OdpParseException {
        for (int n = 0; n < vlanLimit && isVlan(flow.dlType); n++) {
            OdpAttr.Encap encap = has(OdpKeyAttr.ENCAP)
                    ? (OdpAttr.Encap) attrs[OdpKeyAttr.ENCAP.type] : null;
            expected |= OdpKeyAttr.VLAN.bit() | OdpKeyAttr.ENCAP.bit();
            Fitness fitness = checkExpectations();
            flow.vlanTpid[n] = flow.dlType;
            flow.dlType = 0;
            flow.vlanTci[n] = has(OdpKeyAttr.VLAN) ? (int) scalar(OdpKeyAttr.VLAN) : 0;
            if (!has(OdpKeyAttr.VLAN) || encap == null) {
                return Fitness.TOO_LITTLE;
            } else if (flow.vlanTci[n] == 0) {
                // A truncated 802.1Q header: nothing inside it is decoded.
                return fitness == Fitness.PERFECT && !encap.attrs().isEmpty()
                        ? Fitness.TOO_MUCH : fitness;
            } else if ((flow.vlanTci[n] & VLAN_CFI) == 0) {
                throw error(String.format("OVS_KEY_ATTR_VLAN 0x%04x is nonzero but CFI bit is "
                        + "not set", flow.vlanTci[n]));
            }
            index(encap.attrs());
            expected = 0;
            ethertype();
            Fitness inner = l2_5Onward(false);
            if (inner != Fitness.PERFECT) {
                return inner;
            }
        }
        return checkExpectations();
    }

    private Fitness checkExpectations() {
        if ((expected & ~present) != 0) {
            return Fitness.TOO_LITTLE;
        } else if ((present & ~expected) != 0) {
            return Fitness.TOO_MUCH;
        }
        return Fitness.PERFECT;
    }

    /** parse_l2_5_onward(): the MPLS stack, or L3 then L4. */
    private Fitness l2_5Onward(boolean needCheck) throws OdpParseException {
        if (isMpls(flow.dlType)) {
            expected |= OdpKeyAttr.MPLS.bit();
            if (has(OdpKeyAttr.MPLS)) {
                int[] lse = ((OdpAttr.Mpls) attrs[OdpKeyAttr.MPLS.type]).lse();
                System.arraycopy(lse, 0, flow.mplsLse, 0, lse.length);
                for (int i = 0; i < lse.length - 1; i++) {
                    if ((lse[i] & MPLS_BOS) != 0) {
                        throw error("MPLS BOS set in non-innermost label");
                    }
                }
                if (lse.length < OdpFlow.MAX_MPLS_LABELS && (lse[lse.length - 1] & MPLS_BOS) == 0) {
                    return Fitness.TOO_LITTLE;
                }
            }
            return needCheck ? checkExpectations() : Fitness.PERFECT;
        }
        switch (flow.dlType) {
            case 0x0800 -> {
                expected |= OdpKeyAttr.IPV4.bit();
                if (has(OdpKeyAttr.IPV4)) {
                    OdpAttr.Ipv4 ip = (OdpAttr.Ipv4) attrs[OdpKeyAttr.IPV4.type];
                    flow.nwSrc = ip.src();
                    flow.nwDst = ip.dst();
                    flow.nwProto = ip.proto();
                    flow.nwTos = ip.tos();
                    flow.nwTtl = ip.ttl();
                    flow.nwFrag = fragBits(ip.frag());
                }
            }
            case 0x86dd -> {
                expected |= OdpKeyAttr.IPV6.bit();
                if (has(OdpKeyAttr.IPV6)) {
                    OdpAttr.Ipv6 ip = (OdpAttr.Ipv6) attrs[OdpKeyAttr.IPV6.type];
                    flow.ipv6Src = ip.src().clone();
                    flow.ipv6Dst = ip.dst().clone();
                    flow.ipv6Label = ip.label();
                    flow.nwProto = ip.proto();
                    flow.nwTos = ip.tclass();
                    flow.nwTtl = ip.hlimit();
                    flow.nwFrag = fragBits(ip.frag());
                }
            }
            case 0x0806, 0x8035 -> {
                expected |= OdpKeyAttr.ARP.bit();
                if (has(OdpKeyAttr.ARP)) {
                    OdpAttr.Arp arp = (OdpAttr.Arp) attrs[OdpKeyAttr.ARP.type];
                    if ((arp.op() & 0xff00) != 0) {
                        throw error("unsupported ARP opcode " + arp.op() + " in flow key");
                    }
                    flow.nwSrc = arp.sip();
                    flow.nwDst = arp.tip();
                    flow.nwProto = arp.op();
                    flow.arpSha = arp.sha().clone();
                    flow.arpTha = arp.tha().clone();
                }
            }
            case 0x894f -> expected |= NSH_BIT;
            default -> {
                return needCheck ? checkExpectations() : Fitness.PERFECT;
            }
        }
        l4();
        return needCheck ? checkExpectations() : Fitness.PERFECT;
    }

    /** odp_to_ovs_frag(): the ODP fragment type as nw_frag bits. */
    private static int fragBits(int odpFrag) {
        return odpFrag == 0 ? 0 : odpFrag == 1 ? OdpFlow.FRAG_ANY
                : OdpFlow.FRAG_ANY | OdpFlow.FRAG_LATER;
    }

    private void l4() {
        boolean ip = flow.dlType == 0x0800 || flow.dlType == 0x86dd;
        if (!ip || (flow.nwFrag & OdpFlow.FRAG_LATER) != 0) {
            return;
        }
        switch (flow.nwProto) {
            case 6 -> {
                ports(OdpKeyAttr.TCP);
                if (has(OdpKeyAttr.TCP_FLAGS)) {
                    flow.tcpFlags = (int) take(OdpKeyAttr.TCP_FLAGS);
                }
            }
            case 17 -> ports(OdpKeyAttr.UDP);
            case 132 -> ports(OdpKeyAttr.SCTP);
            case 1 -> {
                if (flow.dlType == 0x0800) {
                    icmp(OdpKeyAttr.ICMP);
                }
            }
            case 58 -> {
                if (flow.dlType == 0x86dd && icmp(OdpKeyAttr.ICMPV6)) {
                    nd();
                }
            }
            default -> { }
        }
    }

    private void ports(OdpKeyAttr a) {
        expected |= a.bit();
        if (has(a)) {
            OdpAttr.Ports p = (OdpAttr.Ports) attrs[a.type];
            flow.tpSrc = p.src();
            flow.tpDst = p.dst();
        }
    }

    /** The ICMP type and code into the port fields; whether the attribute was there. */
    private boolean icmp(OdpKeyAttr a) {
        expected |= a.bit();
        if (!has(a)) {
            return false;
        }
        OdpAttr.Icmp i = (OdpAttr.Icmp) attrs[a.type];
        flow.tpSrc = i.type();
        flow.tpDst = i.code();
        return true;
    }

    /** Neighbour solicitation and advertisement: nd() and nd_ext(). */
    private void nd() {
        if (flow.tpDst != 0 || (flow.tpSrc != 135 && flow.tpSrc != 136)) {
            return;
        }
        expected |= OdpKeyAttr.ND.bit();
        if (has(OdpKeyAttr.ND)) {
            OdpAttr.Nd nd = (OdpAttr.Nd) attrs[OdpKeyAttr.ND.type];
            flow.ndTarget = nd.target().clone();
            flow.arpSha = nd.sll().clone();
            flow.arpTha = nd.tll().clone();
        }
        if (has(OdpKeyAttr.ND_EXTENSIONS)) {
            expected |= OdpKeyAttr.ND_EXTENSIONS.bit();
            OdpAttr.NdExt ext = (OdpAttr.NdExt) attrs[OdpKeyAttr.ND_EXTENSIONS.type];
            flow.igmpGroupIp4 = ext.reserved();
            flow.tcpFlags = ext.optionsType();
        }
    }
}
