package org.jovs.vswitchd.odp;

import java.util.List;

/**
 * One attribute of a parsed datapath flow key, as OVS's odp_flow_from_string() appends it to the
 * Netlink key: a key is a list of these in the order written, duplicates included (the decoder,
 * {@link OdpFlowDecoder}, is the one to reject them, as in OVS). Fields hold the values in host
 * order, unsigned values in the low bits of an int or long; addresses are byte arrays in network
 * order (6 bytes for Ethernet, 16 for IPv6). Fields not written in the string are zero, except a
 * VLAN TCI's CFI bit, which is set unless "cfi=0" is written.
 */
public sealed interface OdpAttr {
    OdpKeyAttr attr();

    /** Netlink payload size: the encoded size of the key is limited as in OVS. */
    default int payloadSize() {
        return attr().payloadLength;
    }

    /**
     * A single number: skb_priority, skb_mark, dp_hash, recirc_id, in_port, ct_state (ODP bits),
     * ct_mark, packet_type (namespace in the high 16 bits) as 32 bits; ct_zone, vlan (the TCI),
     * eth_type, tcp_flags as 16 bits.
     */
    record Scalar(OdpKeyAttr attr, long value) implements OdpAttr {}

    /** encap(...): the attributes inside an 802.1Q header. */
    record Encap(List<OdpAttr> attrs) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.ENCAP;
        }

        public int payloadSize() {
            return OdpFlowParser.encodedSize(attrs);
        }
    }

    record Ethernet(byte[] src, byte[] dst) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.ETHERNET;
        }
    }

    /** 'frag' is the ODP fragment type: 0 no, 1 first, 2 later. */
    record Ipv4(int src, int dst, int proto, int tos, int ttl, int frag) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.IPV4;
        }
    }

    record Ipv6(byte[] src, byte[] dst, int label, int proto, int tclass, int hlimit, int frag)
            implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.IPV6;
        }
    }

    /** tcp, udp or sctp ports. */
    record Ports(OdpKeyAttr attr, int src, int dst) implements OdpAttr {}

    /** icmp or icmpv6 type and code. */
    record Icmp(OdpKeyAttr attr, int type, int code) implements OdpAttr {}

    record Arp(int sip, int tip, int op, byte[] sha, byte[] tha) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.ARP;
        }
    }

    record Nd(byte[] target, byte[] sll, byte[] tll) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.ND;
        }
    }

    record NdExt(int reserved, int optionsType) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.ND_EXTENSIONS;
        }
    }

    /** The label stack entries, outermost first. */
    record Mpls(int[] lse) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.MPLS;
        }

        public int payloadSize() {
            return 4 * lse.length;
        }
    }

    /** ct_label, 128 bits. */
    record CtLabels(long hi, long lo) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.CT_LABELS;
        }
    }

    record CtTuple4(int src, int dst, int proto, int tpSrc, int tpDst) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.CT_ORIG_TUPLE_IPV4;
        }
    }

    record CtTuple6(byte[] src, byte[] dst, int proto, int tpSrc, int tpDst) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.CT_ORIG_TUPLE_IPV6;
        }
    }

    /** tunnel(...): its nested attributes, in the order written. */
    record Tunnel(List<TunnelAttr> attrs) implements OdpAttr {
        public OdpKeyAttr attr() {
            return OdpKeyAttr.TUNNEL;
        }

        public int payloadSize() {
            int size = 0;
            for (TunnelAttr a : attrs) {
                size += 4 + ((a.type().length + 3) & ~3);
            }
            return size;
        }
    }

    /** OVS_TUNNEL_KEY_ATTR_* this package knows, with their payload lengths. */
    enum TunnelType {
        ID(0, 8), IPV4_SRC(1, 4), IPV4_DST(2, 4), TOS(3, 1), TTL(4, 1), DONT_FRAGMENT(5, 0),
        CSUM(6, 0), OAM(7, 0), TP_SRC(10, 2), TP_DST(11, 2), IPV6_SRC(13, 16), IPV6_DST(14, 16);

        final int type;
        final int length;

        TunnelType(int type, int length) {
            this.type = type;
            this.length = length;
        }
    }

    /** One nested tunnel attribute: a number, or an IPv6 address in 'addr'; flags have neither. */
    record TunnelAttr(TunnelType type, long value, byte[] addr) {}
}
