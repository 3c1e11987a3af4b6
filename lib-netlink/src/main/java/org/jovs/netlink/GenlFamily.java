package org.jovs.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic netlink family as nlctrl describes it (CTRL_CMD_NEWFAMILY): its numeric id (the
 * nlmsg_type of its messages), version, user header size, highest attribute, the operations it
 * supports and its multicast groups by name.
 */
public record GenlFamily(String name, int id, int version, int headerSize, int maxAttr, List<Op> ops,
        Map<String, Integer> groups) {
    static final int CTRL_CMD_NEWFAMILY = 1;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;
    static final int CTRL_ATTR_VERSION = 3;
    static final int CTRL_ATTR_HDRSIZE = 4;
    static final int CTRL_ATTR_MAXATTR = 5;
    static final int CTRL_ATTR_OPS = 6;
    static final int CTRL_ATTR_MCAST_GROUPS = 7;
    static final int CTRL_ATTR_OP_ID = 1;
    static final int CTRL_ATTR_OP_FLAGS = 2;
    static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
    static final int CTRL_ATTR_MCAST_GRP_ID = 2;

    /** One operation: its command number and GENL_* capability flags (admin, doit, dumpit...). */
    public record Op(int id, int flags) {
    }

    public GenlFamily {
        ops = List.copyOf(ops);
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** Decodes a CTRL_CMD_NEWFAMILY message, as the kernel sends for GETFAMILY. */
    public static GenlFamily parse(NlMsg msg) throws NlParseException {
        if (msg.genlCmd() != CTRL_CMD_NEWFAMILY) {
            throw new NlParseException("nlctrl reply has command " + msg.genlCmd() + ", expected NEWFAMILY");
        }
        NlAttrs a = msg.genlAttrs(0);
        int id = a.u16(CTRL_ATTR_FAMILY_ID);
        if (id == 0) {
            throw new NlParseException("nlctrl reply has family id 0");
        }
        List<Op> ops = new ArrayList<>();
        NlAttrs opsAttr = a.optNested(CTRL_ATTR_OPS);
        if (opsAttr != null) {
            for (NlAttr op : opsAttr) {
                NlAttrs o = op.nested();
                ops.add(new Op(o.u32(CTRL_ATTR_OP_ID), o.u32(CTRL_ATTR_OP_FLAGS, 0)));
            }
        }
        Map<String, Integer> groups = new LinkedHashMap<>();
        NlAttrs groupsAttr = a.optNested(CTRL_ATTR_MCAST_GROUPS);
        if (groupsAttr != null) {
            for (NlAttr g : groupsAttr) {
                NlAttrs ga = g.nested();
                groups.put(ga.string(CTRL_ATTR_MCAST_GRP_NAME), ga.u32(CTRL_ATTR_MCAST_GRP_ID));
            }
        }
        return new GenlFamily(a.string(CTRL_ATTR_FAMILY_NAME), id, a.u32(CTRL_ATTR_VERSION, 0),
                a.u32(CTRL_ATTR_HDRSIZE, 0), a.u32(CTRL_ATTR_MAXATTR, 0), ops, groups);
    }

    /** Starts a request of command 'cmd' for this family at its version. */
    public NlMsgBuilder request(int flags, int cmd) {
        return NlMsgBuilder.genl(id, flags, cmd, version);
    }
}
