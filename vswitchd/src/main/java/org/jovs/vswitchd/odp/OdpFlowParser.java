package org.jovs.vswitchd.odp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * Parses a datapath flow in OVS's ODP syntax, as odp_flow_from_string() does without a mask
 * buffer (netdev-dummy/receive's case), into the list of key attributes it would append to a
 * Netlink buffer, e.g.
 * {@code in_port(1),eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07),eth_type(0x0800),
 * ipv4(src=192.168.0.1,dst=192.168.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=8,dst=9)}.
 *
 * <p>Accepted as by OVS: attributes separated by any of ", \t\r\n", an optional leading
 * "ufid:UUID", fields in any order, repeated (the last wins) or left out (zero), one trailing
 * comma in a field list, numbers in decimal, octal or hex with the low bits kept. The
 * single-valued attributes (skb_priority, skb_mark, dp_hash, in_port, eth_type, tcp_flags,
 * ct_state, ct_zone, ct_mark, ct_label) and the fields of tunnel() take a "/MASK", which is read
 * and dropped; a mask anywhere else (e.g. in ipv4()) and on recirc_id is a syntax error, as it is
 * for OVS here. The parser checks syntax only: duplicates and inconsistent sequences are the
 * decoder's to reject ({@link OdpFlowDecoder}).
 *
 * <p>Not accepted, unlike OVS: nsh() and the geneve, vxlan, erspan and gtpu options of tunnel(),
 * which are reported as syntax errors; port names in in_port() (netdev-dummy has none either).
 *
 * <p>Errors: {@link OdpParseException} with OVS's text, "syntax error at " and the rest of the
 * string from the start of the top-level attribute that failed.
 */
public final class OdpFlowParser {
    private static final String DELIMITERS = ", \t\r\n";
    /** MAX_ODP_NESTED: an attribute this deep in encap() is an error. */
    private static final int MAX_NESTED = 32;
    /** Netlink: an attribute's payload (and so a whole key) must fit in 16 bits with a header. */
    private static final int MAX_PAYLOAD = 0xffff - 4;

    private OdpFlowParser() {}

    /** The key attributes of 's', in order. */
    public static List<OdpAttr> parse(String s) throws OdpParseException {
        List<OdpAttr> key = new ArrayList<>();
        Cursor c = new Cursor(s, 0);
        for (;;) {
            c.skip(DELIMITERS);
            if (c.pos >= s.length()) {
                return key;
            }
            int start = c.pos;
            if (c.lit("ufid:")) {
                if (!uuid(c)) {
                    throw syntaxError(s, start);
                }
                c.ch(' ');
            }
            start = c.pos;
            OdpAttr a = attr(c, 1);
            if (a != null) {
                key.add(a);
            }
            if (a == null || encodedSize(key) - 4 > MAX_PAYLOAD) {
                throw syntaxError(s, start);
            }
        }
    }

    private static OdpParseException syntaxError(String s, int at) {
        return new OdpParseException("syntax error at " + s.substring(at));
    }

    /** The size of 'attrs' Netlink-encoded: a 4-byte header and the payload padded to 4 each. */
    static int encodedSize(List<? extends OdpAttr> attrs) {
        int size = 0;
        for (OdpAttr a : attrs) {
            size += 4 + ((a.payloadSize() + 3) & ~3);
        }
        return size;
    }

    /** uuid_from_string_prefix(): xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex. */
    private static boolean uuid(Cursor c) {
        for (int i = 0; i < 36; i++) {
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c.at(i) != '-' : Cursor.hexit(c.at(i)) < 0) {
                return false;
            }
        }
        c.pos += 36;
        return true;
    }

    /** One attribute at 'depth' (1 at the top level), or null if it does not parse. */
    private static OdpAttr attr(Cursor c, int depth) {
        if (depth == MAX_NESTED) {
            return null;
        }
        if (c.lit("skb_priority(")) {
            return single(c, OdpKeyAttr.PRIORITY, 32, true);
        } else if (c.lit("skb_mark(")) {
            return single(c, OdpKeyAttr.SKB_MARK, 32, true);
        } else if (c.lit("recirc_id(")) {
            return single(c, OdpKeyAttr.RECIRC_ID, 32, false);
        } else if (c.lit("dp_hash(")) {
            return single(c, OdpKeyAttr.DP_HASH, 32, true);
        } else if (c.lit("ct_state(")) {
            return flagsAttr(c, OdpKeyAttr.CT_STATE, OdpScan::ctStateName, 0xff);
        } else if (c.lit("ct_zone(")) {
            return single(c, OdpKeyAttr.CT_ZONE, 16, true);
        } else if (c.lit("ct_mark(")) {
            return single(c, OdpKeyAttr.CT_MARK, 32, true);
        } else if (c.lit("ct_label(")) {
            long[] v = new long[2];
            return OdpScan.u128(c, v) && c.ch(')') ? new OdpAttr.CtLabels(v[0], v[1]) : null;
        } else if (c.lit("ct_tuple4(")) {
            return ctTuple4(c);
        } else if (c.lit("ct_tuple6(")) {
            return ctTuple6(c);
        } else if (c.lit("tunnel(")) {
            return OdpTunnelParser.tunnel(c);
        } else if (c.lit("in_port(")) {
            return OdpScan.port(c) && c.ch(')') ? new OdpAttr.Scalar(OdpKeyAttr.IN_PORT, c.value)
                    : null;
        } else if (c.lit("eth(")) {
            return eth(c);
        } else if (c.lit("vlan(")) {
            return vlan(c);
        } else if (c.lit("eth_type(")) {
            return single(c, OdpKeyAttr.ETHERTYPE, 16, true);
        } else if (c.lit("mpls(")) {
            return mpls(c);
        } else if (c.lit("ipv4(")) {
            return ipv4(c);
        } else if (c.lit("ipv6(")) {
            return ipv6(c);
        } else if (c.lit("tcp(")) {
            return ports(c, OdpKeyAttr.TCP);
        } else if (c.lit("tcp_flags(")) {
            return flagsAttr(c, OdpKeyAttr.TCP_FLAGS, OdpScan::tcpFlagName, 0x0fff);
        } else if (c.lit("udp(")) {
            return ports(c, OdpKeyAttr.UDP);
        } else if (c.lit("sctp(")) {
            return ports(c, OdpKeyAttr.SCTP);
        } else if (c.lit("icmp(")) {
            return icmp(c, OdpKeyAttr.ICMP);
        } else if (c.lit("icmpv6(")) {
            return icmp(c, OdpKeyAttr.ICMPV6);
        } else if (c.lit("arp(")) {
            return arp(c);
        } else if (c.lit("nd(")) {
            return nd(c);
        } else if (c.lit("nd_ext(")) {
            return ndExt(c);
        } else if (c.lit("packet_type(")) {
            long[] v = new long[2];
            boolean ok = struct(c, cur -> or(num(cur, "ns=", v, 0, 16),
                    () -> num(cur, "id=", v, 1, 16)));
            return ok ? new OdpAttr.Scalar(OdpKeyAttr.PACKET_TYPE, v[0] << 16 | v[1]) : null;
        } else if (c.lit("encap(")) {
            return encap(c, depth);
        }
        return null;
    }

    /** SCAN_SINGLE: one number, then ')'. */
    private static OdpAttr single(Cursor c, OdpKeyAttr attr, int bits, boolean masked) {
        return OdpScan.uint(c, bits, masked) && c.ch(')') ? new OdpAttr.Scalar(attr, c.value)
                : null;
    }

    /** tcp_flags() and ct_state(): flags, masked forms allowed, at least one character. */
    private static OdpAttr flagsAttr(Cursor c, OdpKeyAttr attr,
                                     IntFunction<String> names, long allowed) {
        int n = OdpScan.flags(c, names, allowed);
        return n > 0 && c.ch(')') ? new OdpAttr.Scalar(attr, c.value) : null;
    }

    /** One "name=value" of a field list: 1 if scanned, 0 if no field is named here, -1 if bad. */
    interface Field {
        int scan(Cursor c);
    }

    /**
     * A field list up to and over its ')' (SCAN_BEGIN ... SCAN_FINISH): fields separated by
     * commas, possibly none, a comma allowed after the last field.
     */
    static boolean struct(Cursor c, Field field) {
        for (;;) {
            int r = field.scan(c);
            if (r < 0) {
                return false;
            }
            char next = c.peek();
            c.pos++;
            if (next != ',' || r == 0) {
                return next == ')';
            }
        }
    }

    /** The first field result that is not "absent", trying the next only if needed. */
    static int or(int first, IntSupplier... rest) {
        int r = first;
        for (int i = 0; r == 0 && i < rest.length; i++) {
            r = rest[i].getAsInt();
        }
        return r;
    }

    /** A numeric field of 'bits' bits into v[i]. */
    static int num(Cursor c, String name, long[] v, int i, int bits) {
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.uint(c, bits, false)) {
            return -1;
        }
        v[i] = c.value;
        return 1;
    }

    /** An IPv4 address field into v[i]. */
    static int ip(Cursor c, String name, long[] v, int i) {
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.ipv4(c, false)) {
            return -1;
        }
        v[i] = c.value;
        return 1;
    }

    private static int in6(Cursor c, String name, byte[] out) {
        return !c.lit(name) ? 0 : OdpScan.in6(c, out, false) ? 1 : -1;
    }

    private static int mac(Cursor c, String name, byte[] out) {
        return !c.lit(name) ? 0 : OdpScan.eth(c, out) ? 1 : -1;
    }

    private static int frag(Cursor c, long[] v, int i) {
        if (!c.lit("frag=")) {
            return 0;
        } else if (!OdpScan.frag(c)) {
            return -1;
        }
        v[i] = c.value;
        return 1;
    }

    private static OdpAttr eth(Cursor c) {
        byte[] src = new byte[6];
        byte[] dst = new byte[6];
        boolean ok = struct(c, cur -> or(mac(cur, "src=", src), () -> mac(cur, "dst=", dst)));
        return ok ? new OdpAttr.Ethernet(src, dst) : null;
    }

    /** vlan(vid=,pcp=,cfi=): bit fields of a TCI that starts with CFI set. */
    private static OdpAttr vlan(Cursor c) {
        long[] tci = {0x1000};
        boolean ok = struct(c, cur -> or(tciField(cur, "vid=", tci, 12, 0),
                () -> tciField(cur, "pcp=", tci, 3, 13), () -> tciField(cur, "cfi=", tci, 1, 12)));
        return ok ? new OdpAttr.Scalar(OdpKeyAttr.VLAN, tci[0]) : null;
    }

    private static int tciField(Cursor c, String name, long[] tci, int bits, int shift) {
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.bitField(c, tci[0], 16, bits, shift)) {
            return -1;
        }
        tci[0] = c.value;
        return 1;
    }

    private static final String[] MPLS_FIELDS = {"label=", "tc=", "ttl=", "bos="};
    private static final int[] MPLS_BITS = {20, 3, 8, 1};
    private static final int[] MPLS_SHIFTS = {12, 9, 0, 8};

    /**
     * mpls(label=,tc=,ttl=,bos=...): a field already given for the current label stack entry
     * starts the next one, up to three (SCAN_BEGIN_ARRAY).
     */
    private static OdpAttr mpls(Cursor c) {
        long[] lse = new long[OdpFlow.MAX_MPLS_LABELS];
        int[] idx = {0};
        int[] seen = {0};
        boolean ok = struct(c, cur -> {
            for (int f = 0; f < MPLS_FIELDS.length; f++) {
                if (!cur.s.startsWith(MPLS_FIELDS[f], cur.pos)) {
                    continue;
                }
                if ((seen[0] & (1 << f)) != 0) {
                    seen[0] = 0;
                    if (++idx[0] == lse.length) {
                        return -1;
                    }
                }
                cur.pos += MPLS_FIELDS[f].length();
                if (!OdpScan.bitField(cur, lse[idx[0]], 32, MPLS_BITS[f], MPLS_SHIFTS[f])) {
                    return -1;
                }
                lse[idx[0]] = cur.value;
                seen[0] |= 1 << f;
                return 1;
            }
            return 0;
        });
        if (!ok) {
            return null;
        }
        int[] out = new int[idx[0] + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) lse[i];
        }
        return new OdpAttr.Mpls(out);
    }

    private static OdpAttr ipv4(Cursor c) {
        long[] v = new long[6];
        boolean ok = struct(c, cur -> or(ip(cur, "src=", v, 0), () -> ip(cur, "dst=", v, 1),
                () -> num(cur, "proto=", v, 2, 8), () -> num(cur, "tos=", v, 3, 8),
                () -> num(cur, "ttl=", v, 4, 8), () -> frag(cur, v, 5)));
        return ok ? new OdpAttr.Ipv4((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4],
                (int) v[5]) : null;
    }

    private static OdpAttr ipv6(Cursor c) {
        byte[] src = new byte[16];
        byte[] dst = new byte[16];
        long[] v = new long[5];
        boolean ok = struct(c, cur -> or(in6(cur, "src=", src), () -> in6(cur, "dst=", dst),
                () -> label(cur, v), () -> num(cur, "proto=", v, 1, 8),
                () -> num(cur, "tclass=", v, 2, 8), () -> num(cur, "hlimit=", v, 3, 8),
                () -> frag(cur, v, 4)));
        return ok ? new OdpAttr.Ipv6(src, dst, (int) v[0], (int) v[1], (int) v[2], (int) v[3],
                (int) v[4]) : null;
    }

    private static int label(Cursor c, long[] v) {
        if (!c.lit("label=")) {
            return 0;
        } else if (!OdpScan.ipv6Label(c)) {
            return -1;
        }
        v[0] = c.value;
        return 1;
    }

    private static OdpAttr ports(Cursor c, OdpKeyAttr attr) {
        long[] v = new long[2];
        boolean ok = struct(c, cur -> or(num(cur, "src=", v, 0, 16),
                () -> num(cur, "dst=", v, 1, 16)));
        return ok ? new OdpAttr.Ports(attr, (int) v[0], (int) v[1]) : null;
    }

    private static OdpAttr icmp(Cursor c, OdpKeyAttr attr) {
        long[] v = new long[2];
        boolean ok = struct(c, cur -> or(num(cur, "type=", v, 0, 8),
                () -> num(cur, "code=", v, 1, 8)));
        return ok ? new OdpAttr.Icmp(attr, (int) v[0], (int) v[1]) : null;
    }

    private static OdpAttr arp(Cursor c) {
        long[] v = new long[3];
        byte[] sha = new byte[6];
        byte[] tha = new byte[6];
        boolean ok = struct(c, cur -> or(ip(cur, "sip=", v, 0), () -> ip(cur, "tip=", v, 1),
                () -> num(cur, "op=", v, 2, 16), () -> mac(cur, "sha=", sha),
                () -> mac(cur, "tha=", tha)));
        return ok ? new OdpAttr.Arp((int) v[0], (int) v[1], (int) v[2], sha, tha) : null;
    }

    private static OdpAttr nd(Cursor c) {
        byte[] target = new byte[16];
        byte[] sll = new byte[6];
        byte[] tll = new byte[6];
        boolean ok = struct(c, cur -> or(in6(cur, "target=", target), () -> mac(cur, "sll=", sll),
                () -> mac(cur, "tll=", tll)));
        return ok ? new OdpAttr.Nd(target, sll, tll) : null;
    }

    private static OdpAttr ndExt(Cursor c) {
        long[] v = new long[2];
        boolean ok = struct(c, cur -> or(num(cur, "nd_reserved=", v, 0, 32),
                () -> num(cur, "nd_options_type=", v, 1, 8)));
        return ok ? new OdpAttr.NdExt((int) v[0], (int) v[1]) : null;
    }

    private static OdpAttr ctTuple4(Cursor c) {
        long[] v = new long[5];
        boolean ok = struct(c, cur -> or(ip(cur, "src=", v, 0), () -> ip(cur, "dst=", v, 1),
                () -> num(cur, "proto=", v, 2, 8), () -> num(cur, "tp_src=", v, 3, 16),
                () -> num(cur, "tp_dst=", v, 4, 16)));
        return ok ? new OdpAttr.CtTuple4((int) v[0], (int) v[1], (int) v[2], (int) v[3],
                (int) v[4]) : null;
    }

    private static OdpAttr ctTuple6(Cursor c) {
        byte[] src = new byte[16];
        byte[] dst = new byte[16];
        long[] v = new long[3];
        boolean ok = struct(c, cur -> or(in6(cur, "src=", src), () -> in6(cur, "dst=", dst),
                () -> num(cur, "proto=", v, 0, 8), () -> num(cur, "tp_src=", v, 1, 16),
                () -> num(cur, "tp_dst=", v, 2, 16)));
        return ok ? new OdpAttr.CtTuple6(src, dst, (int) v[0], (int) v[1], (int) v[2]) : null;
    }

    /** encap(...): attributes separated as at the top level, up to and over ')'. */
    private static OdpAttr encap(Cursor c, int depth) {
        List<OdpAttr> inner = new ArrayList<>();
        for (;;) {
            c.skip(DELIMITERS);
            if (c.pos >= c.s.length()) {
                return null;
            } else if (c.peek() == ')') {
                c.pos++;
                return new OdpAttr.Encap(inner);
            }
            OdpAttr a = attr(c, depth + 1);
            if (a == null) {
                return null;
            }
            inner.add(a);
            if (encodedSize(inner) > MAX_PAYLOAD) {
                return null;
            }
        }
    }
}
