package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.types.OFPort;

/**
 * OpenFlow port numbers as OVS keeps them internally: 16 bits, with the reserved ports at the
 * top (OF1.0 values); converted to and from Loxi's {@link OFPort}, which maps OF1.3's 32-bit
 * reserved numbers onto the same ones. Pure logic.
 */
final class OfPorts {
    static final int MAX = 0xff00;
    static final int IN_PORT = 0xfff8;
    static final int TABLE = 0xfff9;
    static final int NORMAL = 0xfffa;
    static final int FLOOD = 0xfffb;
    static final int ALL = 0xfffc;
    static final int CONTROLLER = 0xfffd;
    static final int LOCAL = 0xfffe;
    static final int NONE = 0xffff;

    private OfPorts() {
    }

    static int fromLoxi(OFPort p) {
        if (p.equals(OFPort.ANY)) {
            return NONE;
        }
        return p.getShortPortNumber() & 0xffff;
    }

    static OFPort toLoxi(int port) {
        return OFPort.ofShort((short) port);
    }

    /** The name ovs-ofctl uses for a reserved port, or the number. */
    static String name(int port) {
        return switch (port) {
        case IN_PORT -> "IN_PORT";
        case TABLE -> "TABLE";
        case NORMAL -> "NORMAL";
        case FLOOD -> "FLOOD";
        case ALL -> "ALL";
        case CONTROLLER -> "CONTROLLER";
        case LOCAL -> "LOCAL";
        case NONE -> "NONE";
        default -> Integer.toString(port);
        };
    }
}
