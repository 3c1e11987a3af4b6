package org.jovs.vswitchd.ofproto;

import org.jovs.vswitchd.flow.FlowKey;

/**
 * Fills a {@link FlowKey} from an Ethernet frame: Ethernet, one 802.1Q tag, IPv4 (with
 * TCP/UDP/SCTP/ICMP), ARP and IPv6 addresses, with the header offsets set for rewriting. Used
 * for frames that come from a controller (PACKET_OUT); frames from the datapath arrive with
 * their key already filled. Pure logic.
 */
final class FrameFields {
    private FrameFields() {
    }

    static void extract(byte[] f, int len, int inPort, FlowKey k) {
        k.clear();
        k.inPort = inPort;
        if (len < 14) {
            return;
        }
        k.dlDst = mac(f, 0);
        k.dlSrc = mac(f, 6);
        int at = 12;
        int type = u16(f, at);
        if (type == 0x8100 && len >= 18) {
            k.vlanTci = u16(f, 14) | FlowKey.VLAN_CFI;
            at = 16;
            type = u16(f, at);
        }
        at += 2;
        k.dlType = type >= 0x600 ? type : FlowKey.DL_TYPE_NONE;
        if (type == 0x0800 && len >= at + 20) {
            k.l3Offset = at;
            int ihl = (f[at] & 0x0f) * 4;
            k.nwTos = f[at + 1] & 0xff;
            k.nwTtl = f[at + 8] & 0xff;
            k.nwProto = f[at + 9] & 0xff;
            k.nwSrc = u32(f, at + 12);
            k.nwDst = u32(f, at + 16);
            int frag = u16(f, at + 6);
            if ((frag & 0x3fff) != 0) {
                k.nwFrag = FlowKey.FRAG_ANY | ((frag & 0x1fff) != 0 ? FlowKey.FRAG_LATER : 0);
            }
            int l4 = at + ihl;
            if (ihl >= 20 && (k.nwFrag & FlowKey.FRAG_LATER) == 0) {
                transport(f, len, l4, k);
            }
        } else if (type == 0x0806 && len >= at + 28) {
            k.l3Offset = at;
            int op = u16(f, at + 6);
            k.nwProto = op <= 0xff ? op : 0;
            k.arpSha = mac(f, at + 8);
            k.nwSrc = u32(f, at + 14);
            k.arpTha = mac(f, at + 18);
            k.nwDst = u32(f, at + 24);
        } else if (type == 0x86dd && len >= at + 40) {
            k.l3Offset = at;
            k.nwTos = (u16(f, at) >>> 4) & 0xff;
            k.nwProto = f[at + 6] & 0xff;
            k.nwTtl = f[at + 7] & 0xff;
            k.ipv6SrcHi = u64(f, at + 8);
            k.ipv6SrcLo = u64(f, at + 16);
            k.ipv6DstHi = u64(f, at + 24);
            k.ipv6DstLo = u64(f, at + 32);
            transport(f, len, at + 40, k);
        }
    }

    private static void transport(byte[] f, int len, int l4, FlowKey k) {
        switch (k.nwProto) {
        case 6, 17, 132:
            if (len >= l4 + 4) {
                k.l4Offset = l4;
                k.tpSrc = u16(f, l4);
                k.tpDst = u16(f, l4 + 2);
                if (k.nwProto == 6 && len >= l4 + 14) {
                    k.tcpFlags = u16(f, l4 + 12) & 0x0fff;
                }
            }
            break;
        case 1, 58:
            if (len >= l4 + 2) {
                k.l4Offset = l4;
                k.tpSrc = f[l4] & 0xff;
                k.tpDst = f[l4 + 1] & 0xff;
            }
            break;
        default:
            break;
        }
    }

    static int u16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
    }

    static int u32(byte[] f, int at) {
        return u16(f, at) << 16 | u16(f, at + 2);
    }

    private static long u64(byte[] f, int at) {
        return (long) u32(f, at) << 32 | u32(f, at + 4) & 0xffffffffL;
    }

    static long mac(byte[] f, int at) {
        return (long) u16(f, at) << 32 | u32(f, at + 2) & 0xffffffffL;
    }
}
