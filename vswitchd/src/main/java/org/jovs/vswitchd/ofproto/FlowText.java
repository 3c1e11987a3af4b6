package org.jovs.vswitchd.ofproto;

import java.util.List;

/**
 * A flow as OVS's bridge/dump-flows prints it: "table_id=N, " unless table 0, then "duration=Ns,
 * n_packets=N, n_bytes=N, ", the priority (unless 32768), the match in ovs-ofctl syntax and the
 * actions. Covers the fields and actions this switch implements. Pure logic.
 */
final class FlowText {
    private static final int DEFAULT_PRIORITY = 32768;

    private FlowText() {
    }

    static String format(FlowEntry e, long now) {
        StringBuilder sb = new StringBuilder();
        if (e.table != 0) {
            sb.append("table_id=").append(e.table).append(", ");
        }
        sb.append("duration=").append(Math.max(0, now - e.created) / 1000).append("s, n_packets=").append(e.packets)
                .append(", n_bytes=").append(e.bytes).append(", ");
        StringBuilder m = new StringBuilder();
        if (e.priority != DEFAULT_PRIORITY) {
            m.append("priority=").append(e.priority).append(',');
        }
        match(e.match, m);
        if (m.length() == 0) {
            // OVS puts ",actions=" after the match text even when that is empty.
            m.append(',');
        }
        sb.append(m).append("actions=").append(actions(e.actions));
        return sb.toString();
    }

    private static void match(FlowMatch fm, StringBuilder sb) {
        long type = fm.isExact(FlowField.DL_TYPE) ? fm.value(FlowField.DL_TYPE) : -1;
        long proto = fm.isExact(FlowField.NW_PROTO) ? fm.value(FlowField.NW_PROTO) : -1;
        String shorthand = type == 0x0800 ? proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 1 ? "icmp" : "ip"
                : type == 0x0806 ? "arp" : type == 0x86dd ? proto == 6 ? "tcp6" : proto == 17 ? "udp6" : "ipv6" : null;
        boolean protoShown = shorthand != null && (proto == 6 || proto == 17 || (proto == 1 && type == 0x0800));
        if (shorthand != null) {
            sb.append(shorthand).append(',');
        }
        for (FlowField f : FlowField.ALL) {
            if (fm.isWildcard(f) || f == FlowField.DL_TYPE && shorthand != null
                    || f == FlowField.NW_PROTO && protoShown) {
                continue;
            }
            String name = switch (f) {
            case NW_PROTO -> type == 0x0806 ? "arp_op" : "nw_proto";
            case NW_SRC -> type == 0x0806 ? "arp_spa" : "nw_src";
            case NW_DST -> type == 0x0806 ? "arp_tpa" : "nw_dst";
            case IPV6_SRC_HI, IPV6_SRC_LO -> "ipv6_src";
            case IPV6_DST_HI, IPV6_DST_LO -> "ipv6_dst";
            case REG0, REG1, REG2, REG3, REG4, REG5, REG6, REG7, REG8, REG9, REG10, REG11, REG12, REG13, REG14,
                    REG15 -> "reg" + f.regIndex();
            default -> f.name().toLowerCase();
            };
            sb.append(name).append('=').append(value(f, fm.value(f)));
            if (!fm.isExact(f)) {
                sb.append('/').append(mask(f, fm.mask(f)));
            }
            sb.append(',');
        }
    }

    private static String value(FlowField f, long v) {
        return switch (f) {
        case IN_PORT -> OfPorts.name((int) v);
        case DL_SRC, DL_DST, ARP_SHA, ARP_THA -> mac(v);
        case NW_SRC, NW_DST -> ip((int) v);
        case DL_TYPE, VLAN_TCI, METADATA, IPV6_SRC_HI, IPV6_SRC_LO, IPV6_DST_HI, IPV6_DST_LO, TCP_FLAGS ->
                "0x" + Long.toHexString(v);
        default -> Long.toString(v);
        };
    }

    /** An IPv4 mask that is a prefix prints as its length (CIDR), as OVS does; any other mask as a value. */
    private static String mask(FlowField f, long m) {
        boolean ipv4 = f == FlowField.NW_SRC || f == FlowField.NW_DST;
        int bits = (int) m;
        if (ipv4 && bits == -1 << (32 - Integer.bitCount(bits))) {
            return Integer.toString(Integer.bitCount(bits));
        }
        return value(f, m);
    }

    static String mac(long v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", v >>> (8 * i) & 0xff)).append(i > 0 ? ":" : "");
        }
        return sb.toString();
    }

    static String ip(int v) {
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }

    static String actions(List<FlowAction> actions) {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder();
        for (FlowAction a : actions) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(action(a));
        }
        return sb.toString();
    }

    private static String action(FlowAction a) {
        if (a instanceof FlowAction.Output o) {
            if (o.port() == OfPorts.CONTROLLER) {
                return "CONTROLLER:" + o.maxLen();
            }
            return o.port() < OfPorts.MAX ? "output:" + o.port() : OfPorts.name(o.port());
        }
        if (a instanceof FlowAction.SetVlanVid v) {
            return "mod_vlan_vid:" + v.vid();
        }
        if (a instanceof FlowAction.SetVlanPcp p) {
            return "mod_vlan_pcp:" + p.pcp();
        }
        if (a instanceof FlowAction.StripVlan) {
            return "strip_vlan";
        }
        if (a instanceof FlowAction.PushVlan p) {
            return "push_vlan:0x" + Integer.toHexString(p.ethertype());
        }
        if (a instanceof FlowAction.SetDlSrc s) {
            return "mod_dl_src:" + mac(s.mac());
        }
        if (a instanceof FlowAction.SetDlDst s) {
            return "mod_dl_dst:" + mac(s.mac());
        }
        if (a instanceof FlowAction.SetNwSrc s) {
            return "mod_nw_src:" + ip(s.ip());
        }
        if (a instanceof FlowAction.SetNwDst s) {
            return "mod_nw_dst:" + ip(s.ip());
        }
        if (a instanceof FlowAction.SetNwTos t) {
            return "mod_nw_tos:" + t.tos();
        }
        if (a instanceof FlowAction.SetTpSrc s) {
            return "mod_tp_src:" + s.port();
        }
        if (a instanceof FlowAction.SetTpDst s) {
            return "mod_tp_dst:" + s.port();
        }
        if (a instanceof FlowAction.Resubmit r) {
            if (r.port() != OfPorts.IN_PORT && r.table() == 0xff) {
                return "resubmit:" + OfPorts.name(r.port());
            }
            return "resubmit(" + (r.port() == OfPorts.IN_PORT ? "" : OfPorts.name(r.port())) + ","
                    + (r.table() == 0xff ? "" : r.table()) + ")";
        }
        return "goto_table:" + ((FlowAction.GotoTable) a).table();
    }
}
