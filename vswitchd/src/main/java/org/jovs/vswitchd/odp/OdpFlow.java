package org.jovs.vswitchd.odp;

/**
 * The fields of OVS's struct flow that a datapath flow key sets, as odp_flow_key_to_flow() fills
 * them (see {@link OdpFlowDecoder}): metadata (in_port, skb_priority, skb_mark, recirc_id,
 * dp_hash, conntrack, tunnel, packet_type), which a composed packet does not carry, and the
 * header fields {@link PacketComposer} builds a frame from. Values are unsigned, in host order;
 * addresses are byte arrays in network order. Fields a key does not set stay zero, except
 * {@link #inPort}, which is {@link #ODPP_NONE} without in_port(), and {@link #packetType},
 * which is Ethernet without packet_type().
 *
 * <p>As in OVS, some fields are shared by protocols: {@link #nwProto} is the ARP opcode for ARP,
 * {@link #tpSrc}/{@link #tpDst} the ICMP type and code, {@link #arpSha}/{@link #arpTha} the ND
 * link-layer addresses, {@link #igmpGroupIp4} ND's reserved word, {@link #tcpFlags} ND's option
 * type.
 */
public final class OdpFlow {
    public static final long ODPP_NONE = 0xffffffffL;
    /** The dl_type of a frame without an Ethertype (802.2), FLOW_DL_TYPE_NONE. */
    public static final int DL_TYPE_NONE = 0x5ff;
    public static final int MAX_MPLS_LABELS = 3;
    public static final int MAX_VLAN_HEADERS = 2;

    /** nw_frag bits: a fragment; a fragment other than the first. */
    public static final int FRAG_ANY = 1;
    public static final int FRAG_LATER = 2;

    /** Tunnel flag bits (FLOW_TNL_F_*). */
    public static final int TNL_F_OAM = 1;
    public static final int TNL_F_DONT_FRAGMENT = 2;
    public static final int TNL_F_CSUM = 4;
    public static final int TNL_F_KEY = 8;

    // Metadata.
    public long inPort = ODPP_NONE;
    public long skbPriority;
    public long pktMark;
    public long recircId;
    public long dpHash;
    /** OVS_KEY_ATTR_PACKET_TYPE: namespace in the high 16 bits, 0 for Ethernet. */
    public long packetType;
    /** Conntrack state, CS_* bits (the datapath's bits, limited to eight). */
    public int ctState;
    public int ctZone;
    public long ctMark;
    public long ctLabelHi;
    public long ctLabelLo;
    public int ctNwSrc;
    public int ctNwDst;
    public byte[] ctIpv6Src = new byte[16];
    public byte[] ctIpv6Dst = new byte[16];
    public int ctNwProto;
    public int ctTpSrc;
    public int ctTpDst;
    /** Whether tunnel() was given; its fields follow. */
    public boolean hasTunnel;
    public long tunId;
    public int tunSrc;
    public int tunDst;
    public byte[] tunIpv6Src = new byte[16];
    public byte[] tunIpv6Dst = new byte[16];
    public int tunTos;
    public int tunTtl;
    public int tunTpSrc;
    public int tunTpDst;
    /** TNL_F_* bits. */
    public int tunFlags;

    // Headers.
    public byte[] dlSrc = new byte[6];
    public byte[] dlDst = new byte[6];
    public int dlType;
    /** 802.1Q headers, outermost first: TPID and TCI (a header is present if its CFI bit is). */
    public final int[] vlanTpid = new int[MAX_VLAN_HEADERS];
    public final int[] vlanTci = new int[MAX_VLAN_HEADERS];
    /** MPLS label stack entries, outermost first. */
    public final int[] mplsLse = new int[MAX_MPLS_LABELS];
    public int nwSrc;
    public int nwDst;
    public byte[] ipv6Src = new byte[16];
    public byte[] ipv6Dst = new byte[16];
    public int ipv6Label;
    public int nwProto;
    public int nwTos;
    public int nwTtl;
    /** FRAG_* bits. */
    public int nwFrag;
    public int tpSrc;
    public int tpDst;
    public int tcpFlags;
    public byte[] arpSha = new byte[6];
    public byte[] arpTha = new byte[6];
    public byte[] ndTarget = new byte[16];
    public int igmpGroupIp4;
}
