package org.jovs.netlink;

import java.nio.charset.StandardCharsets;

/**
 * The state of one network device as an RTM_NEWLINK message describes it: what the bridge and the
 * netdev runner need, decoded the way OVS's rtnetlink_parse() does.
 *
 * @param ifindex the interface index
 * @param name IFLA_IFNAME
 * @param flags ifi_flags (IFF_UP, IFF_RUNNING, IFF_LOWER_UP, ...)
 * @param mtu IFLA_MTU, 0 if absent
 * @param address IFLA_ADDRESS as colon-separated hex ("aa:bb:cc:dd:ee:ff"), null if absent
 * @param kind IFLA_LINKINFO/IFLA_INFO_KIND ("veth", "tun", ...), null for devices without one
 * @param operState IFLA_OPERSTATE (IF_OPER_*), -1 if absent
 * @param carrier IFLA_CARRIER, or IFF_LOWER_UP on kernels without it
 * @param master IFLA_MASTER, 0 if none
 * @param link IFLA_LINK (a veth's peer, a vlan's parent), 0 if absent
 */
public record RtLink(int ifindex, String name, int flags, int mtu, String address, String kind, int operState,
        boolean carrier, int master, int link) {
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;

    static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_WIRELESS = 11;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_CARRIER = 33;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;

    /** sizeof(struct ifinfomsg): family u8, pad u8, type u16, index s32, flags u32, change u32. */
    static final int IFINFOMSG_SIZE = 16;

    /** Administratively up (IFF_UP). */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    /** Operationally up (IFF_RUNNING): what OVS reports as a netdev's carrier. */
    public boolean isRunning() {
        return (flags & IFF_RUNNING) != 0;
    }

    /** Decodes an RTM_NEWLINK or RTM_DELLINK message. */
    public static RtLink parse(NlMsg msg) throws NlParseException {
        int ifindex = msg.u32(4);
        int flags = msg.u32(8);
        NlAttrs a = msg.attrs(IFINFOMSG_SIZE);
        NlAttr addr = a.get(IFLA_ADDRESS);
        NlAttrs info = a.optNested(IFLA_LINKINFO);
        NlAttr carrier = a.get(IFLA_CARRIER);
        return new RtLink(ifindex, a.string(IFLA_IFNAME), flags, a.u32(IFLA_MTU, 0),
                addr == null ? null : formatAddress(addr.bytes()),
                info == null ? null : info.optString(IFLA_INFO_KIND),
                a.u8(IFLA_OPERSTATE, -1),
                carrier != null ? carrier.u8() != 0 : (flags & IFF_LOWER_UP) != 0,
                a.u32(IFLA_MASTER, 0), a.u32(IFLA_LINK, 0));
    }

    /** True if 'msg' is a wireless-extensions event that changes nothing (ifi_change 0), which OVS ignores. */
    static boolean isIrrelevant(NlMsg msg) throws NlParseException {
        return msg.u32(12) == 0 && msg.attrs(IFINFOMSG_SIZE).has(IFLA_WIRELESS);
    }

    /** Colon-separated lowercase hex, as ip(8) prints link-layer addresses. */
    public static String formatAddress(byte[] b) {
        if (b.length == 0) {
            return "";
        }
        byte[] text = new byte[b.length * 3 - 1];
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                text[3 * i - 1] = ':';
            }
            text[3 * i] = HEX[(b[i] >> 4) & 0xf];
            text[3 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** Parses "aa:bb:cc:dd:ee:ff" into 6 bytes. */
    public static byte[] parseMac(String mac) {
        String[] parts = mac.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address '" + mac + "'");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2) {
                throw new IllegalArgumentException("bad MAC address '" + mac + "'");
            }
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
