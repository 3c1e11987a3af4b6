package org.jovs.vswitchd.ofproto;

import io.netty.buffer.ByteBuf;

/**
 * The NXM match format (Nicira extensible match, as in NXT_FLOW_MOD and NXST_FLOW): a list of
 * TLVs 'header u32 = class u16, field u7, hasmask u1, length u8', then the value and, if
 * masked, the mask. Encodes a {@link FlowMatch} with the prerequisites first (OVS checks them in
 * order) and decodes what ovs-ofctl sends, the flow cookie (NXM_NX_COOKIE) included. Pure logic.
 */
final class NxmCodec {
    /** A decoded match and the cookie selection it carried. */
    record Decoded(FlowMatch match, long cookie, long cookieMask) {
    }

    private static final int OF = 0x0000;
    private static final int NX = 0x0001;
    private static final int OXM = 0x8000;

    private static final int ETH_TYPE_IP = 0x0800;
    private static final int ETH_TYPE_ARP = 0x0806;
    private static final int ETH_TYPE_IPV6 = 0x86dd;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPPROTO_SCTP = 132;

    private NxmCodec() {
    }

    static int header(int cls, int field, boolean hasMask, int len) {
        return cls << 16 | field << 9 | (hasMask ? 1 << 8 : 0) | (hasMask ? 2 * len : len);
    }

    /** Writes 'm' to 'out' (unpadded) and returns the number of bytes written. */
    static int encode(FlowMatch m, ByteBuf out) {
        int start = out.writerIndex();
        put(out, OF, 0, 2, m, FlowField.IN_PORT);
        put(out, OF, 1, 6, m, FlowField.DL_DST);
        put(out, OF, 2, 6, m, FlowField.DL_SRC);
        put(out, OF, 3, 2, m, FlowField.DL_TYPE);
        put(out, OF, 4, 2, m, FlowField.VLAN_TCI);
        long dlType = m.isExact(FlowField.DL_TYPE) ? m.value(FlowField.DL_TYPE) : -1;
        if (dlType == ETH_TYPE_IP || dlType == ETH_TYPE_IPV6) {
            long tos = m.value(FlowField.NW_TOS);
            long tosMask = m.mask(FlowField.NW_TOS);
            if ((tosMask & 0xfc) == 0xfc) {
                putRaw(out, OF, 5, 1, tos & 0xfc, 0xff);
            }
            if ((tosMask & 0x03) == 0x03) {
                putRaw(out, NX, 28, 1, tos & 0x03, 0xff);
            }
            put(out, NX, 29, 1, m, FlowField.NW_TTL);
            put(out, NX, 26, 1, m, FlowField.NW_FRAG);
            put(out, OF, 6, 1, m, FlowField.NW_PROTO);
            if (dlType == ETH_TYPE_IP) {
                put(out, OF, 7, 4, m, FlowField.NW_SRC);
                put(out, OF, 8, 4, m, FlowField.NW_DST);
            } else {
                putIpv6(out, 19, m, FlowField.IPV6_SRC_HI, FlowField.IPV6_SRC_LO);
                putIpv6(out, 20, m, FlowField.IPV6_DST_HI, FlowField.IPV6_DST_LO);
            }
            long proto = m.isExact(FlowField.NW_PROTO) ? m.value(FlowField.NW_PROTO) : -1;
            if (proto == IPPROTO_TCP) {
                put(out, OF, 9, 2, m, FlowField.TP_SRC);
                put(out, OF, 10, 2, m, FlowField.TP_DST);
                put(out, NX, 34, 2, m, FlowField.TCP_FLAGS);
            } else if (proto == IPPROTO_UDP) {
                put(out, OF, 11, 2, m, FlowField.TP_SRC);
                put(out, OF, 12, 2, m, FlowField.TP_DST);
            } else if (proto == IPPROTO_SCTP) {
                put(out, OXM, 17, 2, m, FlowField.TP_SRC);
                put(out, OXM, 18, 2, m, FlowField.TP_DST);
            } else if (proto == IPPROTO_ICMP && dlType == ETH_TYPE_IP) {
                put(out, OF, 13, 1, m, FlowField.TP_SRC);
                put(out, OF, 14, 1, m, FlowField.TP_DST);
            } else if (proto == IPPROTO_ICMPV6 && dlType == ETH_TYPE_IPV6) {
                put(out, NX, 21, 1, m, FlowField.TP_SRC);
                put(out, NX, 22, 1, m, FlowField.TP_DST);
            }
        } else if (dlType == ETH_TYPE_ARP) {
            put(out, OF, 15, 2, m, FlowField.NW_PROTO);
            put(out, OF, 16, 4, m, FlowField.NW_SRC);
            put(out, OF, 17, 4, m, FlowField.NW_DST);
            put(out, NX, 17, 6, m, FlowField.ARP_SHA);
            put(out, NX, 18, 6, m, FlowField.ARP_THA);
        }
        for (int i = 0; i < 16; i++) {
            put(out, NX, i, 4, m, FlowField.reg(i));
        }
        put(out, OXM, 2, 8, m, FlowField.METADATA);
        return out.writerIndex() - start;
    }

    private static void put(ByteBuf out, int cls, int field, int len, FlowMatch m, FlowField f) {
        if (!m.isWildcard(f)) {
            putRaw(out, cls, field, len, m.value(f), m.isExact(f) ? -1 : m.mask(f));
        }
    }

    /** Writes one TLV; 'mask' -1 (or all ones over 'len') writes no mask. */
    private static void putRaw(ByteBuf out, int cls, int field, int len, long value, long mask) {
        long full = len == 8 ? -1L : (1L << (8 * len)) - 1;
        boolean masked = (mask & full) != full;
        out.writeInt(header(cls, field, masked, len));
        writeN(out, value, len);
        if (masked) {
            writeN(out, mask, len);
        }
    }

    private static void putIpv6(ByteBuf out, int field, FlowMatch m, FlowField hi, FlowField lo) {
        if (m.isWildcard(hi) && m.isWildcard(lo)) {
            return;
        }
        boolean masked = !m.isExact(hi) || !m.isExact(lo);
        out.writeInt(header(NX, field, masked, 16));
        out.writeLong(m.value(hi));
        out.writeLong(m.value(lo));
        if (masked) {
            out.writeLong(m.mask(hi));
            out.writeLong(m.mask(lo));
        }
    }

    private static void writeN(ByteBuf out, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            out.writeByte((int) (v >>> (8 * i)));
        }
    }

    private static long readN(ByteBuf in, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | in.readUnsignedByte();
        }
        return v;
    }

    /** Reads 'len' bytes of NXM from 'in'; unknown or malformed fields give OVS's error. */
    static Decoded decode(ByteBuf in, int len) throws OfError.OfErrorException {
        FlowMatch m = new FlowMatch();
        long cookie = 0;
        long cookieMask = 0;
        int end = in.readerIndex() + len;
        while (in.readerIndex() < end) {
            if (end - in.readerIndex() < 4) {
                throw OfError.BAD_LEN.exception("truncated nxm header");
            }
            int h = in.readInt();
            int cls = h >>> 16;
            int field = h >>> 9 & 0x7f;
            boolean hasMask = (h & 0x100) != 0;
            int payload = h & 0xff;
            int width = hasMask ? payload / 2 : payload;
            if (payload == 0 || (hasMask && payload % 2 != 0) || end - in.readerIndex() < payload) {
                throw OfError.BAD_LEN.exception("bad nxm length");
            }
            if (cls == NX && (field == 19 || field == 20) && width == 16) {
                long vh = in.readLong();
                long vl = in.readLong();
                long mh = hasMask ? in.readLong() : -1;
                long ml = hasMask ? in.readLong() : -1;
                m.set(field == 19 ? FlowField.IPV6_SRC_HI : FlowField.IPV6_DST_HI, vh, mh);
                m.set(field == 19 ? FlowField.IPV6_SRC_LO : FlowField.IPV6_DST_LO, vl, ml);
                continue;
            }
            if (width > 8) {
                throw OfError.BAD_MATCH_FIELD.exception("unsupported nxm field " + Integer.toHexString(h));
            }
            long value = readN(in, width);
            long mask = hasMask ? readN(in, width) : (width == 8 ? -1L : (1L << (8 * width)) - 1);
            if (cls == NX && field == 30 && width == 8) {
                cookie = value & mask;
                cookieMask = mask;
                continue;
            }
            FlowField f = fieldFor(cls, field, width);
            if (f == null) {
                throw OfError.BAD_MATCH_FIELD.exception("unknown nxm field " + Integer.toHexString(h));
            }
            if (cls == OF && field == 5) {
                mask &= 0xfc;
                m.set(f, value | m.value(f) & 0x03, mask | m.mask(f) & 0x03);
            } else if (cls == NX && field == 28) {
                mask &= 0x03;
                m.set(f, value | m.value(f) & 0xfc, mask | m.mask(f) & 0xfc);
            } else {
                m.set(f, value, mask);
            }
        }
        return new Decoded(m, cookie, cookieMask);
    }

    private static FlowField fieldFor(int cls, int field, int width) {
        if (cls == OF) {
            return switch (field) {
            case 0 -> width == 2 ? FlowField.IN_PORT : null;
            case 1 -> FlowField.DL_DST;
            case 2 -> FlowField.DL_SRC;
            case 3 -> FlowField.DL_TYPE;
            case 4 -> FlowField.VLAN_TCI;
            case 5 -> FlowField.NW_TOS;
            case 6, 15 -> FlowField.NW_PROTO;
            case 7, 16 -> FlowField.NW_SRC;
            case 8, 17 -> FlowField.NW_DST;
            case 9, 11, 13 -> FlowField.TP_SRC;
            case 10, 12, 14 -> FlowField.TP_DST;
            default -> null;
            };
        }
        if (cls == NX) {
            if (field < 16 && width == 4) {
                return FlowField.reg(field);
            }
            return switch (field) {
            case 17 -> FlowField.ARP_SHA;
            case 18 -> FlowField.ARP_THA;
            case 21 -> FlowField.TP_SRC;
            case 22 -> FlowField.TP_DST;
            case 26 -> FlowField.NW_FRAG;
            case 28 -> FlowField.NW_TOS;
            case 29 -> FlowField.NW_TTL;
            case 34 -> FlowField.TCP_FLAGS;
            default -> null;
            };
        }
        if (cls == OXM) {
            return switch (field) {
            case 2 -> FlowField.METADATA;
            case 17 -> FlowField.TP_SRC;
            case 18 -> FlowField.TP_DST;
            default -> null;
            };
        }
        return null;
    }
}
