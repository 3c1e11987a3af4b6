package org.jovs.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One netlink attribute (struct nlattr and its payload) inside a parsed message.
 *
 * <p>The typed getters check the payload length the way OVS's attribute policies do: fixed-size
 * integers must be exactly their size, a flag must be empty, a string must end in NUL. A mismatch
 * raises {@link NlParseException}.
 */
public final class NlAttr {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final byte[] data;
    private final int type;
    private final int off;
    private final int len;

    NlAttr(byte[] data, int rawType, int off, int len) {
        this.data = data;
        this.type = rawType & Netlink.NLA_TYPE_MASK;
        this.off = off;
        this.len = len;
    }

    /** The attribute type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
    public int type() {
        return type;
    }

    /** The payload length in bytes. */
    public int length() {
        return len;
    }

    public int u8() throws NlParseException {
        expect(1);
        return data[off] & 0xff;
    }

    public int u16() throws NlParseException {
        expect(2);
        return (short) U16.get(data, off) & 0xffff;
    }

    /** A u32 (or s32); unsigned values above 2^31 come out negative. */
    public int u32() throws NlParseException {
        expect(4);
        return (int) U32.get(data, off);
    }

    public long u64() throws NlParseException {
        expect(8);
        return (long) U64.get(data, off);
    }

    /** A flag attribute: present means true; it must carry no payload. */
    public boolean flag() throws NlParseException {
        expect(0);
        return true;
    }

    /** A NUL-terminated string; the text up to the first NUL. */
    public String string() throws NlParseException {
        if (len < 1 || data[off + len - 1] != 0) {
            throw new NlParseException("attribute " + type + ": string is not NUL-terminated");
        }
        int n = 0;
        while (data[off + n] != 0) {
            n++;
        }
        return new String(data, off, n, StandardCharsets.UTF_8);
    }

    /** A copy of the raw payload. */
    public byte[] bytes() {
        return Arrays.copyOfRange(data, off, off + len);
    }

    /** The payload parsed as nested attributes. */
    public NlAttrs nested() throws NlParseException {
        return NlAttrs.parse(data, off, len);
    }

    /** The payload parsed as a fixed header of 'headerLen' bytes followed by attributes. */
    public NlAttrs nestedAfter(int headerLen) throws NlParseException {
        int h = Netlink.align(headerLen);
        if (h > len) {
            throw new NlParseException("attribute " + type + ": " + len + " bytes, header needs " + h);
        }
        return NlAttrs.parse(data, off + h, len - h);
    }

    private void expect(int expected) throws NlParseException {
        if (len != expected) {
            throw new NlParseException("attribute " + type + ": " + len + " bytes, expected " + expected);
        }
    }

    @Override
    public String toString() {
        return "nlattr{type=" + type + ", len=" + len + "}";
    }
}
