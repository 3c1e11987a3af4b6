package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * The wire side of a session's bundles, as OVS's handle_bundle_control and handle_bundle_add:
 * OFPT_BUNDLE_CONTROL and OFPT_BUNDLE_ADD_MESSAGE (OpenFlow 1.4+), and ONFT_BUNDLE_CONTROL and
 * ONFT_BUNDLE_ADD_MESSAGE (the ONF extension for 1.3, an experimenter message). Both carry an
 * ofp14_bundle_ctrl_msg (bundle_id u32, type u16, flags u16) at an offset that depends on the
 * form; the state machine is {@link Bundles}, the commit is here.
 *
 * <p>Replies: each control request that succeeds gets the matching reply type (flags 0) in the
 * request's form and xid. An added message is decoded at once, so its errors (OVS's, quoting
 * the whole BUNDLE_ADD_MESSAGE) come back then; a commit that fails sends the failing message's
 * error, quoting that message's BUNDLE_ADD_MESSAGE, before OFPBFC_MSG_FAILED for the commit.
 * Main thread only.
 */
final class BundleRequests {
    private static final int OPEN_REQUEST = 0;
    private static final int CLOSE_REQUEST = 2;
    private static final int COMMIT_REQUEST = 4;
    private static final int DISCARD_REQUEST = 6;
    /** bundle_id, type, flags. */
    private static final int CTRL_LEN = 8;

    private final OfSession s;
    private final OfRequests requests;

    BundleRequests(OfSession s, OfRequests requests) {
        this.s = s;
        this.requests = requests;
    }

    /**
     * A bundle control request whose ofp14_bundle_ctrl_msg starts at 'at'; properties after it
     * are ignored, as OVS does.
     */
    void control(byte[] msg, int at) throws OfError.OfErrorException {
        if (msg.length < at + CTRL_LEN || (msg.length - at - CTRL_LEN) % 8 != 0) {
            throw OfError.BAD_LEN.exception("bundle control length " + msg.length);
        }
        int id = OfWire.u32(msg, at);
        int type = OfWire.u16(msg, at + 4);
        int flags = OfWire.u16(msg, at + 6);
        long now = s.ofproto.now();
        switch (type) {
        case OPEN_REQUEST -> s.bundles.open(id, flags, msg, now);
        case CLOSE_REQUEST -> s.bundles.close(id, flags, now);
        case COMMIT_REQUEST -> commit(s.bundles.takeForCommit(id, flags));
        case DISCARD_REQUEST -> s.bundles.discard(id);
        default -> throw OfError.BUNDLE_BAD_TYPE.exception("bundle control type " + type);
        }
        ByteBuf reply = OfWire.start(s.version, OfWire.type(msg), OfWire.xid(msg));
        reply.writeBytes(msg, OfWire.HEADER_LEN, at - OfWire.HEADER_LEN);
        reply.writeInt(id).writeShort(type + 1).writeShort(0);
        s.send(OfWire.finish(reply));
    }

    /**
     * Commits a bundle's messages as OVS's do_bundle_commit: first every flow mod is applied
     * and every port mod checked, in order; if one fails, the flow mods before it are undone,
     * its error goes out, and the commit fails with OFPBFC_MSG_FAILED. Otherwise the port mods
     * take effect, FLOW_REMOVED goes out for the deleted flows, and the packet-outs run last (on
     * the committed tables, where OVS translates each one on the tables of its place in the
     * bundle). Port mods cannot be undone, so an atomic bundle may not hold one.
     */
    private void commit(Bundles.Bundle bundle) throws OfError.OfErrorException {
        Ofproto o = s.ofproto;
        FlowTables.Undo undo = new FlowTables.Undo();
        List<FlowTables.Removed> removed = new ArrayList<>();
        long now = o.now();
        for (Bundles.Entry e : bundle.entries) {
            try {
                if (e.mod() instanceof FlowMod f) {
                    removed.addAll(o.tables().apply(f, now, undo));
                } else if (e.mod() instanceof PortMod p) {
                    if (bundle.isAtomic()) {
                        throw OfError.BUNDLE_MSG_FAILED.exception("port mods are not atomic");
                    }
                    o.checkPortMod(p);
                }
            } catch (OfError.OfErrorException x) {
                undo.revert();
                s.sendError(x.error, e.msg());
                throw OfError.BUNDLE_MSG_FAILED.exception("bundle " + Integer.toHexString(bundle.id) + ": " + x.error);
            }
        }
        for (Bundles.Entry e : bundle.entries) {
            if (e.mod() instanceof PortMod p) {
                o.applyPortMod(p);
            }
        }
        removed.forEach(o::flowRemoved);
        for (Bundles.Entry e : bundle.entries) {
            if (e.mod() instanceof PacketOut p) {
                o.packetOut(p);
            }
        }
    }

    /**
     * A bundle add whose ofp14_bundle_ctrl_msg starts at 'at', followed by the inner message,
     * which must be of the session's version and the outer message's xid and of a kind a bundle
     * may hold (OVS's ofputil_decode_bundle_add).
     */
    void add(byte[] msg, int at) throws OfError.OfErrorException {
        if (msg.length < at + CTRL_LEN) {
            throw OfError.BAD_LEN.exception("bundle add length " + msg.length);
        }
        int id = OfWire.u32(msg, at);
        int flags = OfWire.u16(msg, at + 6);
        int innerAt = at + CTRL_LEN;
        if (msg.length - innerAt < OfWire.HEADER_LEN) {
            throw OfError.BUNDLE_MSG_BAD_LEN.exception("no inner message");
        }
        if ((msg[innerAt] & 0xff) != s.version) {
            throw OfError.BUNDLE_BAD_VERSION.exception("inner version " + (msg[innerAt] & 0xff));
        }
        int innerLen = OfWire.u16(msg, innerAt + 2);
        if (innerLen < OfWire.HEADER_LEN || innerLen > msg.length - innerAt) {
            throw OfError.BUNDLE_MSG_BAD_LEN.exception("inner length " + innerLen);
        }
        if (OfWire.u32(msg, innerAt + 4) != OfWire.xid(msg)) {
            throw OfError.BUNDLE_MSG_BAD_XID.exception("inner xid differs");
        }
        Modification mod = requests.decodeModification(Arrays.copyOfRange(msg, innerAt, innerAt + innerLen));
        if (mod == null) {
            throw OfError.BUNDLE_MSG_UNSUP.exception("message type " + (msg[innerAt + 1] & 0xff) + " in a bundle");
        }
        s.bundles.add(id, flags, new Bundles.Entry(msg, mod), msg, s.ofproto.now());
    }
}
