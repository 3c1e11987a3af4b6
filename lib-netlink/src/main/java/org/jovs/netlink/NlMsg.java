package org.jovs.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One received netlink message: its nlmsghdr fields and a bounds-checked view of its payload.
 *
 * <p>Immutable. A message normally owns a private copy of its bytes; one handed to a dump's
 * {@link NlExecutor.Decoder} may instead view the socket's buffer for the duration of the call
 * (as may the attributes taken from it), so decoders keep values, not messages. Every accessor that reads the payload
 * checks the length and raises {@link NlParseException} and nothing else on short or malformed
 * input, so a message from the kernel (or from a fuzzer) can never raise a runtime exception.
 */
public final class NlMsg {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final byte[] bytes;
    /* The message is bytes[base .. base + len). */
    private final int base;
    private final int len;

    private NlMsg(byte[] bytes, int base, int len) {
        this.bytes = bytes;
        this.base = base;
        this.len = len;
    }

    /**
     * Splits 'len' bytes of 'data' from 'off' (one datagram, or several concatenated) into messages,
     * each with its own copy of its bytes. Each must have a sane nlmsg_len; the padding after the
     * last message may be missing.
     */
    public static List<NlMsg> parseAll(byte[] data, int off, int len) throws NlParseException {
        return split(data, off, len, true);
    }

    /**
     * Like {@link #parseAll(byte[], int, int)}, but the messages are views of 'data', valid only
     * while 'data' is not reused: for decoding a datagram at once without copying it again.
     */
    static List<NlMsg> views(byte[] data, int off, int len) throws NlParseException {
        return split(data, off, len, false);
    }

    private static List<NlMsg> split(byte[] data, int off, int len, boolean copy) throws NlParseException {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new NlParseException("bad buffer range");
        }
        List<NlMsg> msgs = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int left = end - pos;
            checkRoom(left);
            int msgLen = checkLength((int) U32.get(data, pos), left);
            msgs.add(copy ? new NlMsg(Arrays.copyOfRange(data, pos, pos + msgLen), 0, msgLen)
                    : new NlMsg(data, pos, msgLen));
            pos += Math.min(Netlink.align(msgLen), left);
        }
        return msgs;
    }

    /**
     * {@link #parseAll(byte[], int, int)} for a buffer in host byte order (a socket's direct receive
     * buffer): each message is copied out once, into its own array. The range must lie in 'b'.
     */
    static List<NlMsg> parseAll(ByteBuffer b, int off, int len) throws NlParseException {
        List<NlMsg> msgs = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int left = end - pos;
            checkRoom(left);
            int msgLen = checkLength(b.getInt(pos), left);
            byte[] copy = new byte[msgLen];
            b.get(pos, copy);
            msgs.add(new NlMsg(copy, 0, msgLen));
            pos += Math.min(Netlink.align(msgLen), left);
        }
        return msgs;
    }

    private static void checkRoom(int left) throws NlParseException {
        if (left < Netlink.NLMSG_HDRLEN) {
            throw new NlParseException("netlink message truncated: " + left + " bytes left, header needs "
                    + Netlink.NLMSG_HDRLEN);
        }
    }

    private static int checkLength(int msgLen, int left) throws NlParseException {
        if (msgLen < Netlink.NLMSG_HDRLEN || msgLen > left) {
            throw new NlParseException("bad nlmsg_len " + Integer.toUnsignedString(msgLen) + " with " + left
                    + " bytes left");
        }
        return msgLen;
    }

    /** The messages of 'msgs' back to back, each padded to 4 bytes except the last: the wire form. */
    static byte[] concat(List<NlMsg> msgs) {
        int total = 0;
        for (NlMsg m : msgs) {
            total = Netlink.align(total) + m.len;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (NlMsg m : msgs) {
            pos = Netlink.align(pos);
            System.arraycopy(m.bytes, m.base, out, pos, m.len);
            pos += m.len;
        }
        return out;
    }

    /** Parses all the messages in 'data'. */
    public static List<NlMsg> parseAll(byte[] data) throws NlParseException {
        return parseAll(data, 0, data.length);
    }

    /** Parses 'data' as exactly one message. */
    public static NlMsg parse(byte[] data) throws NlParseException {
        List<NlMsg> msgs = parseAll(data);
        if (msgs.size() != 1) {
            throw new NlParseException("expected one netlink message, found " + msgs.size());
        }
        return msgs.get(0);
    }

    public int length() {
        return len;
    }

    public int type() {
        return (short) U16.get(bytes, base + 4) & 0xffff;
    }

    public int flags() {
        return (short) U16.get(bytes, base + 6) & 0xffff;
    }

    public int seq() {
        return (int) U32.get(bytes, base + 8);
    }

    public int pid() {
        return (int) U32.get(bytes, base + 12);
    }

    /** A copy of the whole message, header included. */
    public byte[] bytes() {
        return Arrays.copyOfRange(bytes, base, base + len);
    }

    public int payloadLength() {
        return len - Netlink.NLMSG_HDRLEN;
    }

    /** The payload byte at 'off' (offsets are relative to the end of the nlmsghdr). */
    public int u8(int off) throws NlParseException {
        return bytes[at(off, 1)] & 0xff;
    }

    public int u16(int off) throws NlParseException {
        return (short) U16.get(bytes, at(off, 2)) & 0xffff;
    }

    /** A 32-bit payload field; unsigned values above 2^31 come out negative, as in C casts. */
    public int u32(int off) throws NlParseException {
        return (int) U32.get(bytes, at(off, 4));
    }

    /** 'len' payload bytes from 'off'. */
    public byte[] payloadBytes(int off, int len) throws NlParseException {
        int a = at(off, len);
        return Arrays.copyOfRange(bytes, a, a + len);
    }

    /** The attributes that follow a family header of 'headerLen' bytes (0 for none). */
    public NlAttrs attrs(int headerLen) throws NlParseException {
        int start = at(0, Netlink.align(headerLen)) + Netlink.align(headerLen);
        return NlAttrs.parse(bytes, start, base + len - start);
    }

    /** Generic netlink: the genlmsghdr command. */
    public int genlCmd() throws NlParseException {
        return u8(0);
    }

    /** Generic netlink: the attributes after the genlmsghdr (and 'userHeaderLen' family bytes). */
    public NlAttrs genlAttrs(int userHeaderLen) throws NlParseException {
        return attrs(Netlink.GENL_HDRLEN + userHeaderLen);
    }

    private int at(int off, int len) throws NlParseException {
        if (off < 0 || len < 0 || off > payloadLength() - len) {
            throw new NlParseException("netlink message type " + type() + " too short: " + payloadLength()
                    + "-byte payload, need " + len + " bytes at offset " + off);
        }
        return base + Netlink.NLMSG_HDRLEN + off;
    }

    @Override
    public String toString() {
        return "nlmsg{len=" + length() + ", type=" + type() + ", flags=0x" + Integer.toHexString(flags())
                + ", seq=" + Integer.toUnsignedString(seq()) + ", pid=" + Integer.toUnsignedString(pid()) + "}";
    }
}
