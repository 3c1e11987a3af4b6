package org.jovs.vswitchd.flow;

/**
 * Fills a {@link FlowKey} from an Ethernet frame, as OVS's flow_extract()/miniflow_extract():
 * Ethernet with an 802.1Q or 802.1ad tag (the outer one goes to {@code vlanTci}; an inner tag is
 * skipped, since the key has room for one), 802.2 with or without SNAP, ARP and RARP, IPv4
 * (options, fragments), IPv6 with its hop-by-hop, routing, destination options, fragment and
 * authentication headers, then TCP (ports and flags), UDP, SCTP, ICMP and ICMPv6 (type and code,
 * and the link-layer addresses of neighbour discovery in {@code arpSha}/{@code arpTha}, as OVS).
 *
 * <p>{@code l4Offset} is set for TCP, UDP, SCTP, ICMP and ICMPv6 only when their header fits (so
 * that whoever rewrites ports may trust it), and for other IP protocols to where their payload
 * starts; not for later fragments.
 *
 * <p>Pure logic, no allocation. Never throws on a short or malformed frame: parsing stops at the
 * first header that does not fit or fails OVS's sanity checks, leaving the fields found so far, as
 * OVS does. Called by the datapath for every received frame.
 */
public final class FlowExtractor {
    public static final int ETH_TYPE_IP = 0x0800;
    public static final int ETH_TYPE_ARP = 0x0806;
    public static final int ETH_TYPE_RARP = 0x8035;
    public static final int ETH_TYPE_IPV6 = 0x86dd;
    public static final int ETH_TYPE_VLAN_8021Q = 0x8100;
    public static final int ETH_TYPE_VLAN_8021AD = 0x88a8;
    /** Ethertypes below this are 802.3 lengths. */
    private static final int ETH_TYPE_MIN = 0x600;

    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_SCTP = 132;
    private static final int IPPROTO_HOPOPTS = 0;
    private static final int IPPROTO_ROUTING = 43;
    private static final int IPPROTO_FRAGMENT = 44;
    private static final int IPPROTO_AH = 51;
    private static final int IPPROTO_DSTOPTS = 60;

    private static final int ND_NEIGHBOR_SOLICIT = 135;
    private static final int ND_NEIGHBOR_ADVERT = 136;
    private static final int ND_OPT_SOURCE_LINKADDR = 1;
    private static final int ND_OPT_TARGET_LINKADDR = 2;

    private FlowExtractor() {
    }

    /** Resets 'key' and fills it from 'frame[0..len)' received on OpenFlow port 'inPort'. */
    public static void extract(byte[] frame, int len, int inPort, FlowKey key) {
        key.clear();
        key.inPort = inPort;
        len = Math.min(len, frame.length);
        if (len < 14) {
            return;
        }
        key.dlDst = mac(frame, 0);
        key.dlSrc = mac(frame, 6);
        int ofs = 12;
        int type = u16(frame, ofs);
        if (isVlan(type)) {
            if (len < ofs + 4) {
                // A truncated tag: OVS leaves dl_type at the TPID with no TCI.
                key.dlType = type;
                return;
            }
            key.vlanTci = (u16(frame, ofs + 2) | FlowKey.VLAN_CFI) & 0xffff;
            ofs += 4;
            if (len >= ofs + 2 && isVlan(u16(frame, ofs)) && len >= ofs + 6) {
                ofs += 4;
            }
            if (len < ofs + 2) {
                key.dlType = type;
                return;
            }
            type = u16(frame, ofs);
        }
        ofs += 2;
        if (type < ETH_TYPE_MIN) {
            // 802.2 LLC, and SNAP with the Ethernet OUI carries a real Ethertype.
            if (len >= ofs + 8 && (frame[ofs] & 0xff) == 0xaa && (frame[ofs + 1] & 0xff) == 0xaa
                    && frame[ofs + 2] == 3 && frame[ofs + 3] == 0 && frame[ofs + 4] == 0 && frame[ofs + 5] == 0
                    && u16(frame, ofs + 6) >= ETH_TYPE_MIN) {
                type = u16(frame, ofs + 6);
                ofs += 8;
            } else {
                key.dlType = FlowKey.DL_TYPE_NONE;
                return;
            }
        }
        key.dlType = type;
        key.l3Offset = ofs;
        switch (type) {
        case ETH_TYPE_IP:
            ipv4(frame, len, ofs, key);
            break;
        case ETH_TYPE_IPV6:
            ipv6(frame, len, ofs, key);
            break;
        case ETH_TYPE_ARP:
        case ETH_TYPE_RARP:
            arp(frame, len, ofs, key);
            break;
        default:
            break;
        }
    }

    private static boolean isVlan(int type) {
        return type == ETH_TYPE_VLAN_8021Q || type == ETH_TYPE_VLAN_8021AD;
    }

    private static void ipv4(byte[] f, int len, int ofs, FlowKey key) {
        if (len < ofs + 20) {
            return;
        }
        int verIhl = f[ofs] & 0xff;
        int ihl = (verIhl & 0x0f) * 4;
        int totLen = u16(f, ofs + 2);
        // ipv4_sanity_check(): version 4, a whole header, a total length that covers the header
        // and fits in the frame (padding after it is allowed).
        if (verIhl >> 4 != 4 || ihl < 20 || len < ofs + ihl || totLen < ihl || totLen > len - ofs) {
            return;
        }
        key.nwSrc = s32(f, ofs + 12);
        key.nwDst = s32(f, ofs + 16);
        key.nwTos = f[ofs + 1] & 0xff;
        key.nwTtl = f[ofs + 8] & 0xff;
        key.nwProto = f[ofs + 9] & 0xff;
        int fragOff = u16(f, ofs + 6);
        if ((fragOff & 0x3fff) != 0) {
            key.nwFrag = FlowKey.FRAG_ANY;
            if ((fragOff & 0x1fff) != 0) {
                key.nwFrag |= FlowKey.FRAG_LATER;
                return;
            }
        }
        l4(f, ofs + totLen, ofs + ihl, key.nwProto, key);
    }

    private static void ipv6(byte[] f, int len, int ofs, FlowKey key) {
        if (len < ofs + 40 || (f[ofs] & 0xf0) != 0x60) {
            return;
        }
        int plen = u16(f, ofs + 4);
        if (plen > len - ofs - 40) {
            return;
        }
        int end = ofs + 40 + plen;
        key.nwTos = (u16(f, ofs) >> 4) & 0xff;
        key.nwTtl = f[ofs + 7] & 0xff;
        key.ipv6SrcHi = s64(f, ofs + 8);
        key.ipv6SrcLo = s64(f, ofs + 16);
        key.ipv6DstHi = s64(f, ofs + 24);
        key.ipv6DstLo = s64(f, ofs + 32);
        int proto = f[ofs + 6] & 0xff;
        int p = ofs + 40;
        // Walk the extension headers that OVS's parse_ipv6_ext_hdrs() knows.
        while (true) {
            if (proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING || proto == IPPROTO_DSTOPTS
                    || proto == IPPROTO_AH) {
                if (end < p + 8) {
                    key.nwProto = proto;
                    return;
                }
                int hlen = proto == IPPROTO_AH ? ((f[p + 1] & 0xff) + 2) * 4 : ((f[p + 1] & 0xff) + 1) * 8;
                proto = f[p] & 0xff;
                p += hlen;
                if (p > end) {
                    key.nwProto = proto;
                    return;
                }
            } else if (proto == IPPROTO_FRAGMENT) {
                if (end < p + 8) {
                    key.nwProto = proto;
                    return;
                }
                proto = f[p] & 0xff;
                int offlg = u16(f, p + 2);
                p += 8;
                key.nwFrag = FlowKey.FRAG_ANY;
                if ((offlg & 0xfff8) != 0) {
                    key.nwFrag |= FlowKey.FRAG_LATER;
                    key.nwProto = proto;
                    return;
                }
            } else {
                break;
            }
        }
        key.nwProto = proto;
        l4(f, end, p, proto, key);
    }

    /** The transport header at 'ofs' of an IP packet ending at 'end'. */
    private static void l4(byte[] f, int end, int ofs, int proto, FlowKey key) {
        int avail = end - ofs;
        switch (proto) {
        case IPPROTO_TCP:
            if (avail >= 20) {
                int doff = (f[ofs + 12] & 0xf0) >> 2;
                if (doff >= 20 && doff <= avail) {
                    key.l4Offset = ofs;
                    key.tpSrc = u16(f, ofs);
                    key.tpDst = u16(f, ofs + 2);
                    key.tcpFlags = u16(f, ofs + 12) & 0x0fff;
                }
            }
            break;
        case IPPROTO_UDP:
            if (avail >= 8) {
                key.l4Offset = ofs;
                key.tpSrc = u16(f, ofs);
                key.tpDst = u16(f, ofs + 2);
            }
            break;
        case IPPROTO_SCTP:
            if (avail >= 12) {
                key.l4Offset = ofs;
                key.tpSrc = u16(f, ofs);
                key.tpDst = u16(f, ofs + 2);
            }
            break;
        case IPPROTO_ICMP:
            if (avail >= 8) {
                key.l4Offset = ofs;
                key.tpSrc = f[ofs] & 0xff;
                key.tpDst = f[ofs + 1] & 0xff;
            }
            break;
        case IPPROTO_ICMPV6:
            if (avail >= 4 && key.dlType == ETH_TYPE_IPV6) {
                key.l4Offset = ofs;
                key.tpSrc = f[ofs] & 0xff;
                key.tpDst = f[ofs + 1] & 0xff;
                if ((key.tpSrc == ND_NEIGHBOR_SOLICIT || key.tpSrc == ND_NEIGHBOR_ADVERT) && key.tpDst == 0) {
                    neighborDiscovery(f, end, ofs, key);
                }
            }
            break;
        default:
            // A protocol without known header: the rest is its payload.
            key.l4Offset = ofs;
            break;
        }
    }

    /**
     * The source (solicitation) or target (advertisement) link-layer address option of neighbour
     * discovery, as OVS's parse_icmpv6(): a malformed option list voids both addresses.
     */
    private static void neighborDiscovery(byte[] f, int end, int ofs, FlowKey key) {
        int p = ofs + 24;
        if (end < p) {
            return;
        }
        long sll = 0;
        long tll = 0;
        while (end - p >= 8) {
            int optType = f[p] & 0xff;
            int optLen = (f[p + 1] & 0xff) * 8;
            if (optLen == 0 || optLen > end - p) {
                return;
            }
            if (optLen == 8) {
                if (optType == ND_OPT_SOURCE_LINKADDR && key.tpSrc == ND_NEIGHBOR_SOLICIT && sll == 0) {
                    sll = mac(f, p + 2);
                } else if (optType == ND_OPT_TARGET_LINKADDR && key.tpSrc == ND_NEIGHBOR_ADVERT && tll == 0) {
                    tll = mac(f, p + 2);
                }
            }
            p += optLen;
        }
        key.arpSha = sll;
        key.arpTha = tll;
    }

    private static void arp(byte[] f, int len, int ofs, FlowKey key) {
        // Ethernet hardware, IPv4 protocol, lengths 6 and 4, as OVS requires.
        if (len < ofs + 28 || u16(f, ofs) != 1 || u16(f, ofs + 2) != ETH_TYPE_IP || (f[ofs + 4] & 0xff) != 6
                || (f[ofs + 5] & 0xff) != 4) {
            return;
        }
        int op = u16(f, ofs + 6);
        key.nwProto = op <= 0xff ? op : 0;
        key.arpSha = mac(f, ofs + 8);
        key.nwSrc = s32(f, ofs + 14);
        key.arpTha = mac(f, ofs + 18);
        key.nwDst = s32(f, ofs + 24);
    }

    /** The big-endian 16-bit value at 'ofs' of frame 'f'. */
    public static int u16(byte[] f, int ofs) {
        return ((f[ofs] & 0xff) << 8) | (f[ofs + 1] & 0xff);
    }

    private static int s32(byte[] f, int ofs) {
        return ((f[ofs] & 0xff) << 24) | ((f[ofs + 1] & 0xff) << 16) | ((f[ofs + 2] & 0xff) << 8) | (f[ofs + 3] & 0xff);
    }

    private static long s64(byte[] f, int ofs) {
        return ((long) s32(f, ofs) << 32) | (s32(f, ofs + 4) & 0xffffffffL);
    }

    /** The 48-bit address at 'ofs', first byte most significant. */
    public static long mac(byte[] f, int ofs) {
        return ((long) u16(f, ofs) << 32) | (s32(f, ofs + 2) & 0xffffffffL);
    }
}
