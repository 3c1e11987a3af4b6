package org.jovs.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoded outcome of one transaction or dump: the kernel's errno (0 for success), its
 * extended-ack text if any, and the data messages that came back (NLMSG_ERROR, NLMSG_DONE and
 * NLMSG_NOOP removed).
 *
 * <p>Pure decoding of the reply bytes an {@link NlExecutor} returns, so it works the same whether
 * the request ran on a local socket or somewhere else.
 */
public record NlReply(int errno, String extAck, List<NlMsg> messages) {
    /** Decodes the concatenated reply messages of one request. */
    public static NlReply decode(byte[] raw) throws NlParseException {
        return decode(NlMsg.parseAll(raw));
    }

    /** Decodes the reply messages of one request. */
    public static NlReply decode(List<NlMsg> msgs) throws NlParseException {
        int errno = 0;
        String extAck = null;
        List<NlMsg> data = new ArrayList<>();
        for (NlMsg m : msgs) {
            switch (m.type()) {
            case Netlink.NLMSG_ERROR: {
                int error = m.u32(0);
                if (error > 0) {
                    throw new NlParseException("NLMSG_ERROR with positive error " + error);
                }
                if (error < 0) {
                    errno = -error;
                    extAck = extAck(m, m.u32(4), (m.flags() & Netlink.NLM_F_CAPPED) != 0);
                }
                break;
            }
            case Netlink.NLMSG_DONE:
                // A dump can end with an error of its own: a negative int after the header.
                if (m.payloadLength() >= 4 && m.u32(0) < 0) {
                    errno = -m.u32(0);
                    extAck = (m.flags() & Netlink.NLM_F_ACK_TLVS) != 0
                            ? m.attrs(4).optString(Netlink.NLMSGERR_ATTR_MSG) : null;
                }
                break;
            case Netlink.NLMSG_NOOP:
            case Netlink.NLMSG_OVERRUN:
                break;
            default:
                data.add(m);
                break;
            }
        }
        return new NlReply(errno, extAck, List.copyOf(data));
    }

    /** True unless 'm' is one of netlink's own control messages (NOOP, ERROR, DONE, OVERRUN). */
    static boolean isData(NlMsg m) {
        int t = m.type();
        return t != Netlink.NLMSG_NOOP && t != Netlink.NLMSG_ERROR && t != Netlink.NLMSG_DONE
                && t != Netlink.NLMSG_OVERRUN;
    }

    /** The data messages, or {@link NlKernelException} if the kernel reported an error. */
    public List<NlMsg> check() throws NlKernelException {
        if (errno != 0) {
            throw new NlKernelException(errno, extAck);
        }
        return messages;
    }

    private static String extAck(NlMsg err, int origLen, boolean capped) throws NlParseException {
        if ((err.flags() & Netlink.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        if (origLen < Netlink.NLMSG_HDRLEN) {
            throw new NlParseException("NLMSG_ERROR echoes a request of bad length " + origLen);
        }
        int tlvs = 4 + (capped ? Netlink.NLMSG_HDRLEN : Netlink.align(origLen));
        return err.attrs(tlvs).optString(Netlink.NLMSGERR_ATTR_MSG);
    }
}
