package org.jovs.vswitchd.odp;

import java.util.ArrayList;
import java.util.List;

import org.jovs.vswitchd.odp.OdpAttr.TunnelAttr;
import org.jovs.vswitchd.odp.OdpAttr.TunnelType;

/**
 * The body of tunnel(...) in a datapath flow string, after "tunnel(": each field appends one
 * nested attribute, in the order written, as OVS's SCAN_BEGIN_NESTED does, and every field
 * takes a "/MASK" (read and dropped). flags(...) appends the df, csum and oam flags it sets; the
 * key flag is implied by tun_id, as in OVS. The geneve, vxlan, erspan and gtpu options are not
 * supported here: they fail the attribute, so the flow is reported as a syntax error.
 */
final class OdpTunnelParser {
    private OdpTunnelParser() {}

    /** The tunnel attribute up to and over its ')', or null. */
    static OdpAttr tunnel(Cursor c) {
        List<TunnelAttr> attrs = new ArrayList<>();
        boolean ok = OdpFlowParser.struct(c, cur -> OdpFlowParser.or(
                number(cur, "tun_id=", TunnelType.ID, 64, attrs),
                () -> ipv4(cur, "src=", TunnelType.IPV4_SRC, attrs),
                () -> ipv4(cur, "dst=", TunnelType.IPV4_DST, attrs),
                () -> ipv6(cur, "ipv6_src=", TunnelType.IPV6_SRC, attrs),
                () -> ipv6(cur, "ipv6_dst=", TunnelType.IPV6_DST, attrs),
                () -> number(cur, "tos=", TunnelType.TOS, 8, attrs),
                () -> number(cur, "ttl=", TunnelType.TTL, 8, attrs),
                () -> number(cur, "tp_src=", TunnelType.TP_SRC, 16, attrs),
                () -> number(cur, "tp_dst=", TunnelType.TP_DST, 16, attrs),
                () -> flags(cur, attrs)));
        if (!ok) {
            return null;
        }
        OdpAttr.Tunnel t = new OdpAttr.Tunnel(attrs);
        return t.payloadSize() > 0xffff - 4 ? null : t;
    }

    private static int number(Cursor c, String name, TunnelType type, int bits,
                              List<TunnelAttr> attrs) {
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.uint(c, bits, true)) {
            return -1;
        }
        attrs.add(new TunnelAttr(type, c.value, null));
        return 1;
    }

    private static int ipv4(Cursor c, String name, TunnelType type, List<TunnelAttr> attrs) {
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.ipv4(c, true)) {
            return -1;
        }
        attrs.add(new TunnelAttr(type, c.value, null));
        return 1;
    }

    private static int ipv6(Cursor c, String name, TunnelType type, List<TunnelAttr> attrs) {
        byte[] addr = new byte[16];
        if (!c.lit(name)) {
            return 0;
        } else if (!OdpScan.in6(c, addr, true)) {
            return -1;
        }
        attrs.add(new TunnelAttr(type, 0, addr));
        return 1;
    }

    /** flags(df|csum|key|oam ...): the flags of a tunnel key, masked forms allowed. */
    private static int flags(Cursor c, List<TunnelAttr> attrs) {
        if (!c.lit("flags(")) {
            return 0;
        }
        if (OdpScan.flags(c, OdpScan::tunFlagName, 0xf) < 0 || !c.ch(')')) {
            return -1;
        }
        long flags = c.value;
        if ((flags & OdpFlow.TNL_F_DONT_FRAGMENT) != 0) {
            attrs.add(new TunnelAttr(TunnelType.DONT_FRAGMENT, 0, null));
        }
        if ((flags & OdpFlow.TNL_F_CSUM) != 0) {
            attrs.add(new TunnelAttr(TunnelType.CSUM, 0, null));
        }
        if ((flags & OdpFlow.TNL_F_OAM) != 0) {
            attrs.add(new TunnelAttr(TunnelType.OAM, 0, null));
        }
        return 1;
    }
}
