package org.jovs.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: the nlmsghdr, an optional family header (genlmsghdr, ifinfomsg,
 * ...), then attributes, each padded to 4 bytes, in host byte order.
 *
 * <p>The sequence number and port id are left zero: the executor that sends the request stamps
 * them (see {@link NlExecutor}), so an encoded request can be handed to any socket. Family headers
 * are written with the {@code raw*} methods before the first attribute.
 */
public final class NlMsgBuilder {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    /** Starts a message of 'type' with 'flags'; NLM_F_REQUEST is always added. */
    public NlMsgBuilder(int type, int flags) {
        buf.putInt(0);
        buf.putShort((short) type);
        buf.putShort((short) (flags | Netlink.NLM_F_REQUEST));
        buf.putInt(0);
        buf.putInt(0);
    }

    /** Starts a generic netlink message for family 'familyId' with a genlmsghdr. */
    public static NlMsgBuilder genl(int familyId, int flags, int cmd, int version) {
        NlMsgBuilder b = new NlMsgBuilder(familyId, flags);
        b.raw8(cmd).raw8(version).raw16(0);
        return b;
    }

    public NlMsgBuilder raw8(int v) {
        room(1).put((byte) v);
        return this;
    }

    public NlMsgBuilder raw16(int v) {
        room(2).putShort((short) v);
        return this;
    }

    public NlMsgBuilder raw32(int v) {
        room(4).putInt(v);
        return this;
    }

    public NlMsgBuilder rawBytes(byte[] v) {
        room(v.length).put(v);
        return this;
    }

    public NlMsgBuilder putU8(int type, int v) {
        header(type, 1).put((byte) v);
        return pad();
    }

    public NlMsgBuilder putU16(int type, int v) {
        header(type, 2).putShort((short) v);
        return pad();
    }

    public NlMsgBuilder putU32(int type, int v) {
        header(type, 4).putInt(v);
        return pad();
    }

    public NlMsgBuilder putU64(int type, long v) {
        header(type, 8).putLong(v);
        return pad();
    }

    /** A NUL-terminated string attribute. */
    public NlMsgBuilder putString(int type, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        header(type, b.length + 1).put(b).put((byte) 0);
        return pad();
    }

    public NlMsgBuilder putFlag(int type) {
        header(type, 0);
        return this;
    }

    public NlMsgBuilder putBytes(int type, byte[] v) {
        header(type, v.length).put(v);
        return pad();
    }

    /**
     * Opens a nested attribute of 'type' (with NLA_F_NESTED, which strict genl policies require and
     * older ones ignore) and returns its offset for {@link #endNested(int)}.
     */
    public int startNested(int type) {
        int start = buf.position();
        header(type | Netlink.NLA_F_NESTED, 0);
        return start;
    }

    public NlMsgBuilder endNested(int start) {
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished message, nlmsg_len filled in. */
    public byte[] toBytes() {
        pad();
        buf.putInt(0, buf.position());
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private ByteBuffer header(int type, int payloadLen) {
        int len = Netlink.NLA_HDRLEN + payloadLen;
        if (len > 0xffff) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + payloadLen + " bytes");
        }
        pad();
        room(Netlink.align(len));
        buf.putShort((short) len).putShort((short) type);
        return buf;
    }

    private NlMsgBuilder pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
        return this;
    }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }
}
