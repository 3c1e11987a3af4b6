package org.jovs.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A parsed run of netlink attributes (a message's or a nested attribute's payload).
 *
 * <p>Lookup by type returns the last attribute of that type, as OVS's nl_policy_parse does;
 * attribute types nobody asks for are simply never looked at. Iteration gives every attribute in
 * wire order, for nested arrays such as CTRL_ATTR_OPS. The required getters ({@code u32(type)},
 * {@code string(type)}, ...) raise {@link NlParseException} when the attribute is missing.
 */
public final class NlAttrs implements Iterable<NlAttr> {
    private final List<NlAttr> attrs;

    private NlAttrs(List<NlAttr> attrs) {
        this.attrs = attrs;
    }

    /** Parses 'len' bytes of 'data' from 'off'; the final attribute's padding may be missing. */
    static NlAttrs parse(byte[] data, int off, int len) throws NlParseException {
        List<NlAttr> list = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int left = end - pos;
            if (left < Netlink.NLA_HDRLEN) {
                throw new NlParseException("attributes followed by " + left + " bytes of garbage");
            }
            int nlaLen = b.getShort(pos) & 0xffff;
            int rawType = b.getShort(pos + 2) & 0xffff;
            if (nlaLen < Netlink.NLA_HDRLEN || nlaLen > left) {
                throw new NlParseException("attribute " + (rawType & Netlink.NLA_TYPE_MASK) + " has bad length "
                        + nlaLen + " with " + left + " bytes left");
            }
            list.add(new NlAttr(data, rawType, pos + Netlink.NLA_HDRLEN, nlaLen - Netlink.NLA_HDRLEN));
            pos += Math.min(Netlink.align(nlaLen), left);
        }
        return new NlAttrs(Collections.unmodifiableList(list));
    }

    /** The last attribute of 'type', or null. */
    public NlAttr get(int type) {
        for (int i = attrs.size() - 1; i >= 0; i--) {
            if (attrs.get(i).type() == type) {
                return attrs.get(i);
            }
        }
        return null;
    }

    public boolean has(int type) {
        return get(type) != null;
    }

    public int size() {
        return attrs.size();
    }

    @Override
    public Iterator<NlAttr> iterator() {
        return attrs.iterator();
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
