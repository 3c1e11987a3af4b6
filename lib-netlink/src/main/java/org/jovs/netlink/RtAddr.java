package org.jovs.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One interface address from an RTM_NEWADDR message.
 *
 * @param ifindex the interface it belongs to
 * @param family AF_INET (2) or AF_INET6 (10)
 * @param prefixLen the prefix length
 * @param scope ifa_scope (0 universe, 253 link, 254 host)
 * @param flags IFA_FLAGS if present, else ifa_flags
 * @param address IFA_LOCAL if present (the local end on point-to-point links), else IFA_ADDRESS
 * @param label IFA_LABEL (IPv4 only), null if absent
 */
public record RtAddr(int ifindex, int family, int prefixLen, int scope, int flags, InetAddress address,
        String label) {
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_FLAGS = 8;
    /** sizeof(struct ifaddrmsg): family u8, prefixlen u8, flags u8, scope u8, index u32. */
    static final int IFADDRMSG_SIZE = 8;

    /** Decodes an RTM_NEWADDR message. */
    public static RtAddr parse(NlMsg msg) throws NlParseException {
        NlAttrs a = msg.attrs(IFADDRMSG_SIZE);
        NlAttr addr = a.get(IFA_LOCAL) != null ? a.get(IFA_LOCAL) : a.require(IFA_ADDRESS);
        byte[] raw = addr.bytes();
        if (raw.length != 4 && raw.length != 16) {
            throw new NlParseException("interface address of " + raw.length + " bytes");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new NlParseException("bad interface address: " + e.getMessage());
        }
        return new RtAddr(msg.u32(4), msg.u8(0), msg.u8(1), msg.u8(3), a.u32(IFA_FLAGS, msg.u8(2)), ip,
                a.optString(IFA_LABEL));
    }
}
