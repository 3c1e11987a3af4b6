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

    private final byte[] data;
    /* Per attribute, in wire order: raw type, payload offset, payload length. NlAttr objects are
     * made only for the attributes asked for: a link message has some 50, a reader wants a few. */
    private final int[] meta;
    private final int count;
    /* index[type] = 1 + the position of the last attribute of that type (0: none), built on the
     * first lookup when every type is below MAX_INDEXED_TYPE; null before that or otherwise. */
    private int[] index;
    private boolean indexTried;

    private static final int MAX_INDEXED_TYPE = 256;

    private NlAttrs(byte[] data, int[] meta, int count) {
        this.data = data;
        this.meta = meta;
        this.count = count;
    }

    /** Parses 'len' bytes of 'data' from 'off'; the final attribute's padding may be missing. */
    static NlAttrs parse(byte[] data, int off, int len) throws NlParseException {
        int[] meta = new int[3 * Math.min(len / Netlink.NLA_HDRLEN, 64)];
        int count = 0;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int left = end - pos;
            if (left < Netlink.NLA_HDRLEN) {
                throw new NlParseException("attributes followed by " + left + " bytes of garbage");
            }
            int nlaLen = (short) U16.get(data, pos) & 0xffff;
            int rawType = (short) U16.get(data, pos + 2) & 0xffff;
            if (nlaLen < Netlink.NLA_HDRLEN || nlaLen > left) {
                throw new NlParseException("attribute " + (rawType & Netlink.NLA_TYPE_MASK) + " has bad length "
                        + nlaLen + " with " + left + " bytes left");
            }
            if (3 * count == meta.length) {
                meta = Arrays.copyOf(meta, meta.length * 2);
            }
            meta[3 * count] = rawType;
            meta[3 * count + 1] = pos + Netlink.NLA_HDRLEN;
            meta[3 * count + 2] = nlaLen - Netlink.NLA_HDRLEN;
            count++;
            pos += Math.min(Netlink.align(nlaLen), left);
        }
        return new NlAttrs(data, meta, count);
    }

    private NlAttr at(int i) {
        return new NlAttr(data, meta[3 * i], meta[3 * i + 1], meta[3 * i + 2]);
    }

    /** The last attribute of 'type', or null. */
    public NlAttr get(int type) {
        if (!indexTried) {
            buildIndex();
        }
        if (index != null) {
            int i = type >= 0 && type < index.length ? index[type] - 1 : -1;
            return i >= 0 ? at(i) : null;
        }
        for (int i = count - 1; i >= 0; i--) {
            if ((meta[3 * i] & Netlink.NLA_TYPE_MASK) == type) {
                return at(i);
            }
        }
        return null;
    }

    /** Readers look up several types in one run (a link message has some 50 attributes): index them. */
    private void buildIndex() {
        indexTried = true;
        int max = -1;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, meta[3 * i] & Netlink.NLA_TYPE_MASK);
        }
        if (max >= MAX_INDEXED_TYPE || count < 4) {
            return;
        }
        index = new int[max + 1];
        for (int i = 0; i < count; i++) {
            index[meta[3 * i] & Netlink.NLA_TYPE_MASK] = i + 1;
        }
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
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public NlAttr next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                return at(next++);
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
