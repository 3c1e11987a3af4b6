package org.jovs.vswitchd.ofproto;

import io.netty.buffer.ByteBuf;

/**
 * The Nicira vendor actions this switch decodes and encodes by hand, since Loxi has none of
 * them: NXAST_RESUBMIT (subtype 1) and NXAST_RESUBMIT_TABLE (subtype 14). Both have OVS's
 * 16-byte layout: type 0xffff, length 16, vendor 0x00002320, subtype u16, in_port u16, table u8
 * (RESUBMIT_TABLE only), 3 bytes of padding. Pure logic.
 */
final class NxActions {
    private static final int TYPE_VENDOR = 0xffff;
    private static final int HEADER_LEN = 10;
    private static final int RESUBMIT_LEN = 16;
    private static final int NXAST_RESUBMIT = 1;
    private static final int NXAST_RESUBMIT_TABLE = 14;
    /** A resubmit's table 255: the table of the flow that resubmits. */
    private static final int CURRENT_TABLE = 0xff;

    private NxActions() {
    }

    /** True if the action at 'b''s reader index is a vendor action (one for {@link #read}). */
    static boolean atVendorAction(ByteBuf b) {
        return b.readableBytes() >= 2 && b.getUnsignedShort(b.readerIndex()) == TYPE_VENDOR;
    }

    /** Reads the vendor action at 'b''s reader index; the errors are OVS's for what it cannot take. */
    static FlowAction read(ByteBuf b) throws OfError.OfErrorException {
        int at = b.readerIndex();
        int len = b.readableBytes() >= 4 ? b.getUnsignedShort(at + 2) : 0;
        if (len < HEADER_LEN || len % 8 != 0 || len > b.readableBytes()) {
            throw OfError.BAD_ACTION_LEN.exception("vendor action length " + len);
        }
        int vendor = b.getInt(at + 4);
        if (vendor != OfWire.NX_VENDOR) {
            throw OfError.BAD_ACTION_VENDOR.exception("action vendor " + Integer.toHexString(vendor));
        }
        int subtype = b.getUnsignedShort(at + 8);
        if (subtype != NXAST_RESUBMIT && subtype != NXAST_RESUBMIT_TABLE) {
            throw OfError.BAD_ACTION_VENDOR_TYPE.exception("nicira action subtype " + subtype);
        }
        if (len != RESUBMIT_LEN) {
            throw OfError.BAD_ACTION_LEN.exception("resubmit length " + len);
        }
        int port = b.getUnsignedShort(at + 10);
        int table = subtype == NXAST_RESUBMIT ? CURRENT_TABLE : b.getUnsignedByte(at + 12);
        b.skipBytes(len);
        return new FlowAction.Resubmit(port, table);
    }

    /**
     * Writes 'a' if it is a resubmit, or a goto_table (which OpenFlow 1.0 cannot say: OVS sends it
     * as resubmit(,N)), and returns true; returns false for any other action.
     */
    static boolean write(FlowAction a, ByteBuf b) {
        int port;
        int table;
        if (a instanceof FlowAction.Resubmit r) {
            port = r.port();
            table = r.table();
        } else if (a instanceof FlowAction.GotoTable g) {
            port = OfPorts.IN_PORT;
            table = g.table();
        } else {
            return false;
        }
        boolean anyTable = table == CURRENT_TABLE;
        b.writeShort(TYPE_VENDOR).writeShort(RESUBMIT_LEN).writeInt(OfWire.NX_VENDOR)
                .writeShort(anyTable ? NXAST_RESUBMIT : NXAST_RESUBMIT_TABLE).writeShort(port)
                .writeByte(anyTable ? 0 : table).writeZero(3);
        return true;
    }
}
