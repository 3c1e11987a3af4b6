package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * OpenFlow wire constants and the few messages written by hand because Loxi lacks them or
 * mangles them: OFPT_ERROR (carrying the whole request, as OVS), Nicira vendor messages and
 * vendor stats. Pure logic.
 */
final class OfWire {
    static final int OF10 = 1;
    static final int OF11 = 2;
    static final int OF12 = 3;
    static final int OF13 = 4;
    static final int OF14 = 5;
    static final int OF15 = 6;
    private static final OFVersion[] LOXI_VERSIONS = {null, OFVersion.OF_10, OFVersion.OF_11, OFVersion.OF_12,
        OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15};
    static final int HEADER_LEN = 8;
    static final int NX_VENDOR = 0x00002320;
    static final int ONF_VENDOR = 0x4f4e4600;

    static final int OFPT_HELLO = 0;
    static final int OFPT_ERROR = 1;
    static final int OFPT_ECHO_REQUEST = 2;
    static final int OFPT_VENDOR = 4;
    static final int OFPT10_STATS_REQUEST = 16;
    static final int OFPT10_STATS_REPLY = 17;
    static final int OFPT11_MULTIPART_REQUEST = 18;
    static final int OFPT11_MULTIPART_REPLY = 19;
    static final int STATS_VENDOR = 0xffff;
    /** OVS's OF1.0 OFPST_PORT_DESC. */
    static final int OFPST10_PORT_DESC = 13;
    static final int STATS_REPLY_MORE = 1;

    static final int NXT_SET_FLOW_FORMAT = 12;
    static final int NXT_FLOW_MOD = 13;
    static final int NXT_FLOW_MOD_TABLE_ID = 15;
    static final int NXT_SET_PACKET_IN_FORMAT = 16;
    static final int NXT_PACKET_IN = 17;
    static final int NXST_FLOW = 0;
    static final int NXST_AGGREGATE = 1;

    /** Replies may be split so that no part exceeds this, as OVS's ofpmp_postappend. */
    static final int MAX_PART = 65535;
    static final int MAX_MSG = 65535;
    private static final int NXET_VENDOR = 0xb0c2;
    private static final int NXVC_VENDOR_ERROR = 0;
    private static final int OFPET_EXPERIMENTER = 0xffff;

    private OfWire() {
    }

    /** Loxi's version for wire version 'v' (OF10..OF15). */
    static OFVersion loxi(int v) {
        return LOXI_VERSIONS[v];
    }

    static int version(byte[] m) {
        return m[0] & 0xff;
    }

    static int type(byte[] m) {
        return m[1] & 0xff;
    }

    static int length(byte[] m) {
        return (m[2] & 0xff) << 8 | m[3] & 0xff;
    }

    static int xid(byte[] m) {
        return u32(m, 4);
    }

    static int u16(byte[] m, int at) {
        return at + 2 <= m.length ? (m[at] & 0xff) << 8 | m[at + 1] & 0xff : -1;
    }

    static int u32(byte[] m, int at) {
        return at + 4 <= m.length ? (m[at] & 0xff) << 24 | (m[at + 1] & 0xff) << 16 | (m[at + 2] & 0xff) << 8
                | m[at + 3] & 0xff : -1;
    }

    /** A buffer holding a message header; {@link #finish} fills in the length. */
    static ByteBuf start(int version, int type, int xid) {
        ByteBuf b = Unpooled.buffer(64);
        b.writeByte(version).writeByte(type).writeShort(0).writeInt(xid);
        return b;
    }

    /** Starts a Nicira vendor message with 'subtype'. */
    static ByteBuf startNx(int version, int xid, int subtype) {
        ByteBuf b = start(version, OFPT_VENDOR, xid);
        b.writeInt(NX_VENDOR).writeInt(subtype);
        return b;
    }

    /** Starts a Nicira vendor stats reply (OF1.0 stats / OF1.3 multipart header, vendor, subtype). */
    static ByteBuf startNxStatsReply(int version, int xid, int subtype, boolean more) {
        ByteBuf b = start(version, version == OF10 ? OFPT10_STATS_REPLY : OFPT11_MULTIPART_REPLY, xid);
        b.writeShort(STATS_VENDOR).writeShort(more ? STATS_REPLY_MORE : 0);
        // Both headers are 24 bytes: OF1.0 pads after the subtype, OF1.3 before the vendor.
        if (version != OF10) {
            b.writeInt(0);
        }
        b.writeInt(NX_VENDOR).writeInt(subtype);
        if (version == OF10) {
            b.writeInt(0);
        }
        return b;
    }

    static byte[] finish(ByteBuf b) {
        b.setShort(2, b.writerIndex());
        byte[] out = new byte[b.writerIndex()];
        b.getBytes(0, out);
        return out;
    }

    /**
     * OFPT_ERROR for 'request', carrying as much of it as fits, as OVS's ofperr_encode_reply. A
     * vendor's error goes as NXET_VENDOR with an nx_vendor_error up to OpenFlow 1.1, and as
     * OFPET_EXPERIMENTER (exp_type, experimenter) from 1.2 on.
     */
    static byte[] error(int version, OfError e, byte[] request) {
        ByteBuf b = start(version, OFPT_ERROR, request.length >= HEADER_LEN ? xid(request) : 0);
        putError(b, version, e);
        b.writeBytes(request, 0, Math.min(request.length, MAX_MSG - b.writerIndex()));
        return finish(b);
    }

    private static void putError(ByteBuf b, int version, OfError e) {
        OfError.Encoding enc = e.encoding(version);
        if (enc.vendor() == 0) {
            b.writeShort(enc.type()).writeShort(enc.code());
        } else if (version <= OF11) {
            b.writeShort(NXET_VENDOR).writeShort(NXVC_VENDOR_ERROR).writeInt(enc.vendor()).writeShort(enc.type())
                    .writeShort(enc.code());
        } else {
            b.writeShort(OFPET_EXPERIMENTER).writeShort(enc.type()).writeInt(enc.vendor());
        }
    }

    /** OFPT_ERROR HELLO_FAILED with a text explaining why, as OVS. */
    static byte[] helloFailed(int version, int xid, String text) {
        ByteBuf b = start(version, OFPT_ERROR, xid);
        putError(b, version, OfError.HELLO_INCOMPATIBLE);
        b.writeBytes(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return finish(b);
    }
}
