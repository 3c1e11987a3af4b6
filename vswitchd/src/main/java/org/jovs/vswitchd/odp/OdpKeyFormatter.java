package org.jovs.vswitchd.odp;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Prints a datapath flow key as OVS's odp_flow_key_format() does (verbose, no mask): every field
 * of every attribute, in the order of the key, e.g.
 * {@code in_port(1),eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07),eth_type(0x0800),
 * ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)}.
 * OVS puts this text in the error a key that does not decode gets ({@link OdpFlowDecoder}).
 */
public final class OdpKeyFormatter {
    private OdpKeyFormatter() {}

    public static String format(List<OdpAttr> key) {
        if (key.isEmpty()) {
            return "<empty>";
        }
        StringBuilder sb = new StringBuilder();
        appendAll(sb, key);
        return sb.toString();
    }

    private static void appendAll(StringBuilder sb, List<OdpAttr> attrs) {
        for (int i = 0; i < attrs.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            append(sb, attrs.get(i));
        }
    }

    private static void append(StringBuilder sb, OdpAttr a) {
        sb.append(a.attr().odpName).append('(');
        if (a instanceof OdpAttr.Encap e) {
            appendAll(sb, e.attrs());
        } else if (a instanceof OdpAttr.Scalar s) {
            scalar(sb, s.attr(), s.value());
        } else if (a instanceof OdpAttr.Ethernet e) {
            sb.append("src=").append(mac(e.src())).append(",dst=").append(mac(e.dst()));
        } else if (a instanceof OdpAttr.Ipv4 ip) {
            sb.append("src=").append(ipv4(ip.src())).append(",dst=").append(ipv4(ip.dst()))
                    .append(",proto=").append(ip.proto()).append(",tos=").append(hex(ip.tos()))
                    .append(",ttl=").append(ip.ttl()).append(",frag=").append(frag(ip.frag()));
        } else if (a instanceof OdpAttr.Ipv6 ip) {
            sb.append("src=").append(Inet6.format(ip.src()))
                    .append(",dst=").append(Inet6.format(ip.dst()))
                    .append(",label=").append(hex(ip.label())).append(",proto=").append(ip.proto())
                    .append(",tclass=").append(hex(ip.tclass())).append(",hlimit=")
                    .append(ip.hlimit()).append(",frag=").append(frag(ip.frag()));
        } else if (a instanceof OdpAttr.Ports p) {
            sb.append("src=").append(p.src()).append(",dst=").append(p.dst());
        } else if (a instanceof OdpAttr.Icmp i) {
            sb.append("type=").append(i.type()).append(",code=").append(i.code());
        } else if (a instanceof OdpAttr.Arp arp) {
            sb.append("sip=").append(ipv4(arp.sip())).append(",tip=").append(ipv4(arp.tip()))
                    .append(",op=").append(arp.op()).append(",sha=").append(mac(arp.sha()))
                    .append(",tha=").append(mac(arp.tha()));
        } else if (a instanceof OdpAttr.Nd nd) {
            sb.append("target=").append(Inet6.format(nd.target())).append(",sll=")
                    .append(mac(nd.sll())).append(",tll=").append(mac(nd.tll()));
        } else if (a instanceof OdpAttr.NdExt ext) {
            sb.append("nd_reserved=0x").append(Integer.toHexString(ext.reserved()))
                    .append(",nd_options_type=").append(ext.optionsType());
        } else if (a instanceof OdpAttr.Mpls m) {
            for (int i = 0; i < m.lse().length; i++) {
                int lse = m.lse()[i];
                sb.append(i > 0 ? "," : "").append("label=").append(lse >>> 12)
                        .append(",tc=").append((lse >> 9) & 7).append(",ttl=").append(lse & 0xff)
                        .append(",bos=").append((lse >> 8) & 1);
            }
        } else if (a instanceof OdpAttr.CtLabels l) {
            sb.append(hex128(l.hi(), l.lo()));
        } else if (a instanceof OdpAttr.CtTuple4 t) {
            sb.append("src=").append(ipv4(t.src())).append(",dst=").append(ipv4(t.dst()))
                    .append(",proto=").append(t.proto()).append(",tp_src=").append(t.tpSrc())
                    .append(",tp_dst=").append(t.tpDst());
        } else if (a instanceof OdpAttr.CtTuple6 t) {
            sb.append("src=").append(Inet6.format(t.src())).append(",dst=")
                    .append(Inet6.format(t.dst())).append(",proto=").append(t.proto())
                    .append(",src_port=").append(t.tpSrc()).append(",dst_port=").append(t.tpDst());
        } else if (a instanceof OdpAttr.Tunnel t) {
            tunnel(sb, t);
        }
        sb.append(')');
    }

    private static void scalar(StringBuilder sb, OdpKeyAttr attr, long v) {
        switch (attr) {
            case ETHERTYPE -> sb.append(String.format("0x%04x", v));
            case IN_PORT -> sb.append(v);
            case TCP_FLAGS -> sb.append(flags(v, OdpScan::tcpFlagName));
            case PACKET_TYPE -> sb.append("ns=").append(v >>> 16).append(",id=")
                    .append(hex(v & 0xffff));
            case VLAN -> {
                sb.append("vid=").append(v & 0xfff).append(",pcp=").append((v >> 13) & 7);
                if ((v & 0x1000) == 0) {
                    sb.append(",cfi=0");
                }
            }
            // skb_priority, skb_mark, dp_hash, recirc_id, ct_state, ct_zone, ct_mark.
            default -> sb.append(hex(v));
        }
    }

    /** The tunnel's fields in order, then its flags, as format_odp_tun_attr(). */
    private static void tunnel(StringBuilder sb, OdpAttr.Tunnel t) {
        int flags = 0;
        for (OdpAttr.TunnelAttr a : t.attrs()) {
            long v = a.value();
            switch (a.type()) {
                case ID -> {
                    sb.append("tun_id=0x").append(Long.toHexString(v)).append(',');
                    flags |= OdpFlow.TNL_F_KEY;
                }
                case IPV4_SRC -> sb.append("src=").append(ipv4((int) v)).append(',');
                case IPV4_DST -> sb.append("dst=").append(ipv4((int) v)).append(',');
                case IPV6_SRC -> sb.append("ipv6_src=").append(Inet6.format(a.addr())).append(',');
                case IPV6_DST -> sb.append("ipv6_dst=").append(Inet6.format(a.addr())).append(',');
                case TOS -> sb.append("tos=").append(hex(v)).append(',');
                case TTL -> sb.append("ttl=").append(v).append(',');
                case TP_SRC -> sb.append("tp_src=").append(v).append(',');
                case TP_DST -> sb.append("tp_dst=").append(v).append(',');
                case DONT_FRAGMENT -> flags |= OdpFlow.TNL_F_DONT_FRAGMENT;
                case CSUM -> flags |= OdpFlow.TNL_F_CSUM;
                case OAM -> flags |= OdpFlow.TNL_F_OAM;
            }
        }
        sb.append("flags(").append(flags(flags, OdpScan::tunFlagName)).append(')');
    }

    /** format_flags() with '|': names from the lowest bit up, unknown bits as one hex number. */
    static String flags(long flags, IntFunction<String> names) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        long bad = 0;
        for (long rest = flags; rest != 0; rest &= rest - 1) {
            long bit = rest & -rest;
            String name = names.apply((int) bit);
            if (name != null) {
                sb.append(name).append('|');
            } else {
                bad |= bit;
            }
        }
        if (bad != 0) {
            sb.append("0x").append(Long.toHexString(bad)).append('|');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** C's "%#x": "0" for zero, else 0x and lowercase hex. */
    static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** ds_put_hex() of a big-endian 128-bit value: 0x and no leading zero bytes, or "0". */
    private static String hex128(long hi, long lo) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            int b = (int) ((i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8))) & 0xff);
            if (sb.length() == 0 && b != 0) {
                sb.append("0x").append(Integer.toHexString(b));
            } else if (sb.length() > 0) {
                sb.append(String.format("%02x", b));
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    static String mac(byte[] a) {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", a[0] & 0xff, a[1] & 0xff,
                a[2] & 0xff, a[3] & 0xff, a[4] & 0xff, a[5] & 0xff);
    }

    static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String frag(int odpFrag) {
        return switch (odpFrag) {
            case 0 -> "no";
            case 1 -> "first";
            case 2 -> "later";
            default -> "<error>";
        };
    }
}
