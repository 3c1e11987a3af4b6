package org.jovs.netlink;

/**
 * Constants of the netlink wire format (linux/netlink.h, linux/genetlink.h): protocols, message
 * types, header flags and sizes. Everything on the wire is in host byte order and every message and
 * attribute starts on a 4-byte boundary.
 */
public final class Netlink {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_GENERIC = 16;

    /** sizeof(struct nlmsghdr): nlmsg_len u32, nlmsg_type u16, nlmsg_flags u16, seq u32, pid u32. */
    public static final int NLMSG_HDRLEN = 16;
    /** sizeof(struct genlmsghdr): cmd u8, version u8, reserved u16. */
    public static final int GENL_HDRLEN = 4;
    /** sizeof(struct nlattr): nla_len u16, nla_type u16. */
    public static final int NLA_HDRLEN = 4;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    /** GET requests. */
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** NEW requests. */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** Flags of an NLMSG_ERROR reply: request payload omitted; extended-ack TLVs follow. */
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    /** Extended-ack attributes in an NLMSG_ERROR or NLMSG_DONE. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static final int GENL_ID_CTRL = 16;

    private Netlink() {
    }

    /** 'len' rounded up to the 4-byte alignment of messages and attributes. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}
