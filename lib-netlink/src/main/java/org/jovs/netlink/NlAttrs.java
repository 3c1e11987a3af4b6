package org.jovs.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A parsed run of netlink attributes (a message's or a nested attribute's payload).
 *
 * <p>Lookup by type returns the last attribute of that type, as OVS's nl_policy_parse does;
 * attribute types nobody asks for are simply never looked at. Iteration gives every attribute in
 * wire order, for nested arrays such as CTRL_ATTR_OPS. The required getters ({@code u32(type)},
 * {@code string(type)}, ...) raise {@link NlParseException} when the attribute is missing.
 */
public final class NlAttrs implements Iterable<NlAttr> {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /* struct nlattr is nla_len then nla_type, 16 bits each: parse() reads both in one load. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /* Runs shorter than this (a few attributes) are scanned on lookup rather than indexed. */
    private static final int MIN_INDEXED_LEN = 64;
    private static final int MAX_INDEXED_TYPE = 255;
    private static final int INITIAL_INDEX = 96;

    private final byte[] data;
    private final int off;
    private final int count;
    /* index[type] = 1 + the offset of the last attribute of that type, 0 if none: lookups in a
     * link message (some 50 attributes, of which a reader wants a few) cost one array read. Null
     * for short runs and for runs with types above MAX_INDEXED_TYPE, which are scanned instead. */
    private final int[] index;

    private NlAttrs(byte[] data, int off, int count, int[] index) {
        this.data = data;
        this.off = off;
        this.count = count;
        this.index = index;
    }

    /** Parses 'len' bytes of 'data' from 'off'; the final attribute's padding may be missing. */
    static NlAttrs parse(byte[] data, int off, int len) throws NlParseException {
        // Room for the types of today's biggest families (rtnetlink links go past 64); more is rare.
        int[] index = len >= MIN_INDEXED_LEN ? new int[INITIAL_INDEX] : null;
        int count = 0;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int left = end - pos;
            if (left < Netlink.NLA_HDRLEN) {
                throw new NlParseException("attributes followed by " + left + " bytes of garbage");
            }
            int header = (int) U32.get(data, pos);
            int nlaLen = LITTLE_ENDIAN ? header & 0xffff : header >>> 16;
            int type = (LITTLE_ENDIAN ? header >>> 16 : header) & Netlink.NLA_TYPE_MASK;
            if (nlaLen < Netlink.NLA_HDRLEN || nlaLen > left) {
                throw new NlParseException("attribute " + type + " has bad length " + nlaLen + " with " + left
                        + " bytes left");
            }
            if (index != null && type >= index.length) {
                index = type <= MAX_INDEXED_TYPE ? Arrays.copyOf(index, MAX_INDEXED_TYPE + 1) : null;
            }
            if (index != null) {
                index[type] = pos + 1;
            }
            count++;
            pos += Math.min(Netlink.align(nlaLen), left);
        }
        return new NlAttrs(data, off, count, index);
    }

    /** The attribute whose header is at 'pos' (already checked by parse()). */
    private NlAttr at(int pos) {
        int nlaLen = (short) U16.get(data, pos) & 0xffff;
        int rawType = (short) U16.get(data, pos + 2) & 0xffff;
        return new NlAttr(data, rawType, pos + Netlink.NLA_HDRLEN, nlaLen - Netlink.NLA_HDRLEN);
    }

    /** The offset of the attribute after the one at 'pos'. */
    private int next(int pos) {
        return pos + Netlink.align((short) U16.get(data, pos) & 0xffff);
    }

    /** The last attribute of 'type', or null. */
    public NlAttr get(int type) {
        if (index != null) {
            int p = type >= 0 && type < index.length ? index[type] - 1 : -1;
            return p >= 0 ? at(p) : null;
        }
        int found = -1;
        for (int pos = off, i = 0; i < count; pos = next(pos), i++) {
            if (((short) U16.get(data, pos + 2) & Netlink.NLA_TYPE_MASK) == type) {
                found = pos;
            }
        }
        return found >= 0 ? at(found) : null;
    }

    public boolean has(int type) {
        return get(type) != null;
    }

    public int size() {
        return count;
    }

    @Override
    public Iterator<NlAttr> iterator() {
        return new Iterator<NlAttr>() {
            private int pos = off;
            private int i;

            @Override
            public boolean hasNext() {
                return i < count;
            }

            @Override
            public NlAttr next() {
                if (i >= count) {
                    throw new NoSuchElementException();
                }
                NlAttr a = at(pos);
                pos = NlAttrs.this.next(pos);
                i++;
                return a;
            }
        };
    }

    /** The attribute of 'type', which must be present. */
    public NlAttr require(int type) throws NlParseException {
        NlAttr a = get(type);
        if (a == null) {
            throw new NlParseException("required attribute " + type + " is missing");
        }
        return a;
    }

    public int u8(int type) throws NlParseException {
        return require(type).u8();
    }

    public int u16(int type) throws NlParseException {
        return require(type).u16();
    }

    public int u32(int type) throws NlParseException {
        return require(type).u32();
    }

    public long u64(int type) throws NlParseException {
        return require(type).u64();
    }

    public String string(int type) throws NlParseException {
        return require(type).string();
    }

    public NlAttrs nested(int type) throws NlParseException {
        return require(type).nested();
    }

    public int u8(int type, int absent) throws NlParseException {
        NlAttr a = get(type);
        return a == null ? absent : a.u8();
    }

    public int u16(int type, int absent) throws NlParseException {
        NlAttr a = get(type);
        return a == null ? absent : a.u16();
    }

    public int u32(int type, int absent) throws NlParseException {
        NlAttr a = get(type);
        return a == null ? absent : a.u32();
    }

    /** The string attribute of 'type', or null if absent. */
    public String optString(int type) throws NlParseException {
        NlAttr a = get(type);
        return a == null ? null : a.string();
    }

    /** The nested attributes of 'type', or null if absent. */
    public NlAttrs optNested(int type) throws NlParseException {
        NlAttr a = get(type);
        return a == null ? null : a.nested();
    }

    /** True if the flag attribute 'type' is present (it must be empty). */
    public boolean flag(int type) throws NlParseException {
        NlAttr a = get(type);
        return a != null && a.flag();
    }
}
