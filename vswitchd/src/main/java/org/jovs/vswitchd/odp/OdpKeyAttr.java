package org.jovs.vswitchd.odp;

/**
 * The datapath flow key attributes (OVS_KEY_ATTR_*) this package knows: their Netlink type
 * numbers, the names OVS prints them by (ovs_key_attr_to_string) and their payload lengths.
 * The lengths matter only for OVS's limit on the encoded size of a key, which a parsed key is
 * held to as if it were Netlink-encoded.
 */
public enum OdpKeyAttr {
    ENCAP(1, "encap", -1),
    PRIORITY(2, "skb_priority", 4),
    IN_PORT(3, "in_port", 4),
    ETHERNET(4, "eth", 12),
    VLAN(5, "vlan", 2),
    ETHERTYPE(6, "eth_type", 2),
    IPV4(7, "ipv4", 12),
    IPV6(8, "ipv6", 40),
    TCP(9, "tcp", 4),
    UDP(10, "udp", 4),
    ICMP(11, "icmp", 2),
    ICMPV6(12, "icmpv6", 2),
    ARP(13, "arp", 24),
    ND(14, "nd", 28),
    SKB_MARK(15, "skb_mark", 4),
    TUNNEL(16, "tunnel", -1),
    SCTP(17, "sctp", 4),
    TCP_FLAGS(18, "tcp_flags", 2),
    DP_HASH(19, "dp_hash", 4),
    RECIRC_ID(20, "recirc_id", 4),
    MPLS(21, "mpls", -1),
    CT_STATE(22, "ct_state", 4),
    CT_ZONE(23, "ct_zone", 2),
    CT_MARK(24, "ct_mark", 4),
    CT_LABELS(25, "ct_label", 16),
    CT_ORIG_TUPLE_IPV4(26, "ct_tuple4", 16),
    CT_ORIG_TUPLE_IPV6(27, "ct_tuple6", 40),
    PACKET_TYPE(29, "packet_type", 4),
    ND_EXTENSIONS(30, "nd_ext", 8);

    /** The Netlink attribute type, OVS_KEY_ATTR_*. */
    public final int type;
    /** The name in the flow syntax, before the parenthesis. */
    public final String odpName;
    /** The payload length in bytes, or -1 if it depends on the contents. */
    final int payloadLength;

    OdpKeyAttr(int type, String odpName, int payloadLength) {
        this.type = type;
        this.odpName = odpName;
        this.payloadLength = payloadLength;
    }

    long bit() {
        return 1L << type;
    }
}
