package org.jovs.vswitchd.flow;

/**
 * The header fields of one packet, as OVS's struct flow: filled from a frame by the datapath's
 * extractor, matched by ofproto's flow table, and rewritten by its set-field actions.
 *
 * <p>A mutable, reusable holder (one per receive path, so the hot path allocates nothing). Field
 * conventions follow OVS so that matches print and compare as OVS's do:
 * <ul>
 * <li>Ethernet addresses are the low 48 bits of a long, first byte most significant.
 * <li>{@code dlType} is the Ethertype after VLAN tags; {@link #DL_TYPE_NONE} (0x05ff) for 802.2
 *     frames without SNAP, as OVS's FLOW_DL_TYPE_NONE.
 * <li>{@code vlanTci} is the 802.1Q TCI with {@link #VLAN_CFI} (0x1000) set when a tag is present,
 *     0 when there is none.
 * <li>For IPv4, {@code nwSrc}/{@code nwDst} are the addresses, {@code nwProto} the protocol,
 *     {@code nwTos} the whole TOS byte (DSCP and ECN), {@code nwTtl} the TTL, {@code nwFrag}
 *     {@link #FRAG_ANY}/{@link #FRAG_LATER} bits. For ARP, {@code nwSrc}/{@code nwDst} are the
 *     sender and target protocol addresses, {@code nwProto} the low byte of the opcode, and
 *     {@code arpSha}/{@code arpTha} the hardware addresses. IPv6 uses the ipv6 fields and
 *     {@code nwProto}/{@code nwTos}/{@code nwTtl} likewise.
 * <li>{@code tpSrc}/{@code tpDst} are TCP/UDP/SCTP ports, or ICMP/ICMPv6 type and code.
 * <li>{@code l3Offset}/{@code l4Offset} locate the headers in the frame for rewriting, -1 if
 *     absent.
 * <li>{@code metadata} and {@code regs} are pipeline state set by actions, zero on extraction.
 * </ul>
 */
public final class FlowKey {
    public static final int DL_TYPE_NONE = 0x05ff;
    public static final int VLAN_CFI = 0x1000;
    public static final int FRAG_ANY = 1;
    public static final int FRAG_LATER = 2;
    public static final int N_REGS = 16;

    public int inPort;
    public long dlSrc;
    public long dlDst;
    public int dlType;
    public int vlanTci;
    public int nwSrc;
    public int nwDst;
    public int nwProto;
    public int nwTos;
    public int nwTtl;
    public int nwFrag;
    public long ipv6SrcHi;
    public long ipv6SrcLo;
    public long ipv6DstHi;
    public long ipv6DstLo;
    public int tpSrc;
    public int tpDst;
    public int tcpFlags;
    public long arpSha;
    public long arpTha;
    public int l3Offset = -1;
    public int l4Offset = -1;
    public long metadata;
    public final int[] regs = new int[N_REGS];

    /** Resets every field to zero (offsets to -1). */
    public void clear() {
        inPort = 0;
        dlSrc = dlDst = 0;
        dlType = vlanTci = 0;
        nwSrc = nwDst = nwProto = nwTos = nwTtl = nwFrag = 0;
        ipv6SrcHi = ipv6SrcLo = ipv6DstHi = ipv6DstLo = 0;
        tpSrc = tpDst = tcpFlags = 0;
        arpSha = arpTha = 0;
        l3Offset = l4Offset = -1;
        metadata = 0;
        java.util.Arrays.fill(regs, 0);
    }

    /** Copies every field of 'o' into this key. */
    public void copyFrom(FlowKey o) {
        inPort = o.inPort;
        dlSrc = o.dlSrc;
        dlDst = o.dlDst;
        dlType = o.dlType;
        vlanTci = o.vlanTci;
        nwSrc = o.nwSrc;
        nwDst = o.nwDst;
        nwProto = o.nwProto;
        nwTos = o.nwTos;
        nwTtl = o.nwTtl;
        nwFrag = o.nwFrag;
        ipv6SrcHi = o.ipv6SrcHi;
        ipv6SrcLo = o.ipv6SrcLo;
        ipv6DstHi = o.ipv6DstHi;
        ipv6DstLo = o.ipv6DstLo;
        tpSrc = o.tpSrc;
        tpDst = o.tpDst;
        tcpFlags = o.tcpFlags;
        arpSha = o.arpSha;
        arpTha = o.arpTha;
        l3Offset = o.l3Offset;
        l4Offset = o.l4Offset;
        metadata = o.metadata;
        System.arraycopy(o.regs, 0, regs, 0, N_REGS);
    }

    /** The VLAN ID, or -1 without a tag. */
    public int vlanId() {
        return (vlanTci & VLAN_CFI) == 0 ? -1 : vlanTci & 0x0fff;
    }

    @Override
    public String toString() {
        return String.format("in_port=%d,dl_src=%012x,dl_dst=%012x,dl_type=0x%04x,vlan_tci=0x%04x,"
                + "nw_src=%08x,nw_dst=%08x,nw_proto=%d,nw_tos=%d,nw_ttl=%d,tp_src=%d,tp_dst=%d",
                inPort, dlSrc, dlDst, dlType, vlanTci, nwSrc, nwDst, nwProto, nwTos, nwTtl, tpSrc, tpDst);
    }
}
