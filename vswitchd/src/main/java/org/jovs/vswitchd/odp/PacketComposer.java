package org.jovs.vswitchd.odp;

import java.util.Arrays;

/**
 * Builds the Ethernet frame a flow describes, byte for byte as OVS's flow_compose() and
 * packet_expand() (lib/flow.c) do for netdev-dummy/receive: Ethernet, the 802.1Q headers whose
 * TCI has CFI set (written with CFI cleared), then by Ethertype an MPLS label stack (labels up
 * to the first with bottom-of-stack, or all three), an IPv4 or IPv6 header, or an ARP/RARP
 * packet; under IP, unless a later fragment, by protocol a TCP, UDP, SCTP, ICMP, IGMP or ICMPv6
 * header (neighbour discovery with its target and link-layer options), zero where the flow says
 * nothing. A frame without Ethertype (802.2) carries its length instead.
 *
 * <p>Length: with 'size' 0, a payload of the 64 bytes 0, 1, ... 63 follows TCP (unless SYN, FIN
 * or RST), UDP, ICMP echo and ICMPv6 echo, and the frame is not padded (an ARP frame is 42
 * bytes). With a 'size', the frame is built without payload, then zeros are appended up to
 * 'size' and the lengths and checksums redone, including OVS's quirk of counting the added
 * bytes twice in the UDP length.
 *
 * <p>Checksums: IPv4 header, TCP, UDP (0 sent as 0xffff), ICMP, IGMP and ICMPv6, as OVS; the
 * SCTP checksum is left zero, as OVS leaves it.
 */
public final class PacketComposer {
    private static final int VLAN_CFI = 0x1000;
    private static final int MPLS_BOS = 0x100;
    private static final int L7_DEFAULT = 64;
    private static final int ETH_HEADER_LEN = 14;

    private byte[] buf = new byte[256];
    private int len;
    /** Offsets of the L3 and L4 headers (the latter only for IP). */
    private int l3;
    private int l4;

    private PacketComposer() {}

    /**
     * The frame for 'flow' (as {@link OdpFlowDecoder} fills it), of 'size' bytes if 'size' is
     * not 0; null if the frame is longer than 'size' even without payload.
     */
    public static byte[] compose(OdpFlow flow, int size) {
        PacketComposer p = new PacketComposer();
        p.build(flow, size == 0 ? L7_DEFAULT : 0);
        if (size != 0 && p.len > size) {
            return null;
        } else if (size > p.len) {
            p.expand(flow, size);
        }
        return Arrays.copyOf(p.buf, p.len);
    }

    private void build(OdpFlow flow, int l7Len) {
        put(flow.dlDst);
        put(flow.dlSrc);
        if (flow.dlType == OdpFlow.DL_TYPE_NONE) {
            put16(ETH_HEADER_LEN);
            return;
        }
        for (int i = 0; i < OdpFlow.MAX_VLAN_HEADERS; i++) {
            if ((flow.vlanTci[i] & VLAN_CFI) != 0) {
                put16(flow.vlanTpid[i]);
                put16(flow.vlanTci[i] & ~VLAN_CFI);
            }
        }
        put16(flow.dlType);
        l3 = len;
        if (flow.dlType == 0x0800) {
            put8(0x45);
            put8(flow.nwTos);
            put16(0);
            put16(0);
            int fragOff = 0;
            if ((flow.nwFrag & OdpFlow.FRAG_ANY) != 0) {
                fragOff = 0x2000 | ((flow.nwFrag & OdpFlow.FRAG_LATER) != 0 ? 100 : 0);
            }
            put16(fragOff);
            put8(flow.nwTtl);
            put8(flow.nwProto);
            put16(0);
            put32(flow.nwSrc);
            put32(flow.nwDst);
            l4 = len;
            composeL4(flow, l7Len);
            fixIp(flow);
        } else if (flow.dlType == 0x86dd) {
            put32(6 << 28 | (flow.nwTos & 0xff) << 20 | flow.ipv6Label);
            put16(0);
            put8(flow.nwProto);
            put8(flow.nwTtl);
            put(flow.ipv6Src);
            put(flow.ipv6Dst);
            l4 = len;
            composeL4(flow, l7Len);
            fixIp(flow);
        } else if (flow.dlType == 0x0806 || flow.dlType == 0x8035) {
            boolean addresses = flow.nwProto == 1 || flow.nwProto == 2;
            put16(1);
            put16(0x0800);
            put8(6);
            put8(4);
            put16(flow.nwProto);
            put(addresses ? flow.arpSha : new byte[6]);
            put32(addresses ? flow.nwSrc : 0);
            put(addresses ? flow.arpTha : new byte[6]);
            put32(addresses ? flow.nwDst : 0);
        } else if (flow.dlType == 0x8847 || flow.dlType == 0x8848) {
            int n = 1;
            while (n < OdpFlow.MAX_MPLS_LABELS && (flow.mplsLse[n - 1] & MPLS_BOS) == 0) {
                n++;
            }
            for (int i = 0; i < n; i++) {
                put32(flow.mplsLse[i]);
            }
        }
    }

    private static boolean laterFragment(OdpFlow flow) {
        return (flow.nwFrag & OdpFlow.FRAG_LATER) != 0;
    }

    /** flow_compose_l4(): the L4 header and payload the protocol calls for. */
    private void composeL4(OdpFlow flow, int l7Len) {
        if (laterFragment(flow)) {
            return;
        }
        switch (flow.nwProto) {
            case 6 -> {
                put16(flow.tpSrc);
                put16(flow.tpDst);
                put32(0);
                put32(0);
                put16(5 << 12 | flow.tcpFlags);
                put16(0);
                put16(0);
                put16(0);
                if ((flow.tcpFlags & 0x007) == 0) { // SYN, FIN, RST
                    l7(l7Len);
                }
            }
            case 17 -> {
                put16(flow.tpSrc);
                put16(flow.tpDst);
                put16(8 + l7Len);
                put16(0);
                l7(l7Len);
            }
            case 132 -> {
                put16(flow.tpSrc);
                put16(flow.tpDst);
                put32(0);
                put32(0);
            }
            case 1 -> {
                put8(flow.tpSrc);
                put8(flow.tpDst);
                put16(0);
                put32(0);
                if ((flow.tpSrc & 0xff) == 8 || (flow.tpSrc & 0xff) == 0) {
                    if ((flow.tpDst & 0xff) == 0) {
                        l7(l7Len);
                    }
                }
            }
            case 2 -> {
                put8(flow.tpSrc);
                put8(flow.tpDst);
                put16(0);
                put32(flow.igmpGroupIp4);
            }
            case 58 -> icmpv6(flow, l7Len);
            default -> { }
        }
    }

    private void icmpv6(OdpFlow flow, int l7Len) {
        int type = flow.tpSrc & 0xff;
        int code = flow.tpDst & 0xff;
        put8(type);
        put8(code);
        put16(0);
        put32(flow.igmpGroupIp4);
        if (code == 0 && (type == 135 || type == 136)) {
            put(flow.ndTarget);
            if (!isZero(flow.arpSha)) {
                put8(1); // source link-layer address option, 8 bytes
                put8(1);
                put(flow.arpSha);
            }
            if (!isZero(flow.arpTha)) {
                put8(2); // target link-layer address option
                put8(1);
                put(flow.arpTha);
            }
        } else if (code == 0 && (type == 128 || type == 129)) {
            l7(l7Len);
        }
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private void l7(int n) {
        for (int i = 0; i < n; i++) {
            put8(i);
        }
    }

    /** The IP length and checksum, then the L4 checksum over everything after the IP header. */
    private void fixIp(OdpFlow flow) {
        int l4Len = len - l4;
        long pseudo;
        if (flow.dlType == 0x0800) {
            set16(l3 + 2, l4 - l3 + l4Len);
            set16(l3 + 10, 0);
            set16(l3 + 10, checksum(sum(l3, 20)));
            pseudo = sum(l3 + 12, 8) + (buf[l3 + 9] & 0xff) + get16(l3 + 2) - 20;
        } else {
            set16(l3 + 4, l4Len);
            pseudo = sum(l3 + 8, 32) + (buf[l3 + 6] & 0xff) + get16(l3 + 4);
        }
        if (laterFragment(flow)) {
            return;
        }
        switch (flow.nwProto) {
            case 6 -> {
                set16(l4 + 16, 0);
                set16(l4 + 16, checksum(pseudo + sum(l4, l4Len)));
            }
            case 17 -> {
                set16(l4 + 6, 0);
                int c = checksum(pseudo + sum(l4, l4Len));
                set16(l4 + 6, c == 0 ? 0xffff : c);
            }
            case 1, 2 -> {
                set16(l4 + 2, 0);
                set16(l4 + 2, checksum(sum(l4, l4Len)));
            }
            case 58 -> {
                set16(l4 + 2, 0);
                set16(l4 + 2, checksum(pseudo + sum(l4, l4Len)));
            }
            default -> { }
        }
    }

    /** packet_expand(): zeros up to 'size', then the lengths and checksums again. */
    private void expand(OdpFlow flow, int size) {
        int extra = size - len;
        ensure(size);
        len = size;
        if (flow.dlType == OdpFlow.DL_TYPE_NONE) {
            set16(12, size);
        } else if (flow.dlType == 0x0800 || flow.dlType == 0x86dd) {
            if (!laterFragment(flow) && flow.nwProto == 17) {
                // OVS counts the bytes just added in the L4 length and then once more.
                set16(l4 + 4, len - l4 + extra);
            }
            fixIp(flow);
        }
    }

    /** The ones' complement sum of 'n' bytes at 'off' as big-endian words, not folded. */
    private long sum(int off, int n) {
        long s = 0;
        for (int i = 0; i + 1 < n; i += 2) {
            s += get16(off + i);
        }
        if ((n & 1) != 0) {
            s += (buf[off + n - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int checksum(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }

    private void ensure(int n) {
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, 2 * buf.length));
        }
    }

    private void put8(int v) {
        ensure(len + 1);
        buf[len++] = (byte) v;
    }

    private void put16(int v) {
        put8(v >> 8);
        put8(v);
    }

    private void put32(int v) {
        put16(v >>> 16);
        put16(v);
    }

    private void put(byte[] a) {
        ensure(len + a.length);
        System.arraycopy(a, 0, buf, len, a.length);
        len += a.length;
    }

    private int get16(int off) {
        return (buf[off] & 0xff) << 8 | (buf[off + 1] & 0xff);
    }

    private void set16(int off, int v) {
        buf[off] = (byte) (v >> 8);
        buf[off + 1] = (byte) v;
    }
}
