package org.jovs.vswitchd.ofproto;

import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.types.OFBufferId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The requests of one {@link OfSession} after negotiation: the pre-dispatcher (by type, then
 * vendor and subtype) and the handlers of the non-statistics messages; statistics go to
 * {@link StatsReplies}. Handlers throw {@link OfError.OfErrorException} for the session to
 * answer. Main thread only.
 */
final class OfRequests {
    private static final int OFPT_ECHO_REPLY = 3;
    private static final int OFPT_FEATURES_REQUEST = 5;
    private static final int OFPT_GET_CONFIG_REQUEST = 7;
    private static final int OFPT_GET_CONFIG_REPLY = 8;
    private static final int OFPT_SET_CONFIG = 9;
    private static final int OFPT_PACKET_OUT = 13;
    private static final int OFPT10_PORT_MOD = 15;
    private static final int OFPT13_PORT_MOD = 16;
    private static final int OFPT10_BARRIER_REQUEST = 18;
    /** An OF1.0 FLOW_MOD without actions: header, match, cookie ... flags. */
    private static final int OF10_FLOW_MOD_LEN = 72;
    private static final int OFPT13_BARRIER_REQUEST = 20;

    /** An OF1.3 FLOW_MOD before its match: header, cookie ... flags, pad. */
    private static final int OF13_FLOW_MOD_LEN = 48;
    private static final int OFPIT_GOTO_TABLE = 1;
    private static final int OFPIT_APPLY_ACTIONS = 4;
    private static final OFActions ACTIONS10 = OFFactories.getFactory(OFVersion.OF_10).actions();
    private static final OFActions ACTIONS13 = OFFactories.getFactory(OFVersion.OF_13).actions();

    private final OfSession s;
    private final StatsReplies stats;

    OfRequests(OfSession s) {
        this.s = s;
        this.stats = new StatsReplies(s);
    }

    void dispatch(byte[] msg) throws OfError.OfErrorException {
        int type = OfWire.type(msg);
        boolean v10 = s.version == OfWire.OF10;
        switch (type) {
        case OfWire.OFPT_HELLO:
        case OFPT_ECHO_REPLY:
            return;
        case OfWire.OFPT_ERROR:
            OfSession.LOG.info("{}: received OFPT_ERROR type {} code {}", s.conn.name, OfWire.u16(msg, 8),
                    OfWire.u16(msg, 10));
            return;
        case OfWire.OFPT_ECHO_REQUEST:
            ByteBuf echo = OfWire.start(s.version, OFPT_ECHO_REPLY, OfWire.xid(msg));
            echo.writeBytes(msg, OfWire.HEADER_LEN, msg.length - OfWire.HEADER_LEN);
            s.send(OfWire.finish(echo));
            return;
        case OfWire.OFPT_VENDOR:
            vendor(msg);
            return;
        case OFPT_FEATURES_REQUEST:
            exactLength(msg, OfWire.HEADER_LEN);
            s.send(stats.featuresReply(OfWire.xid(msg)));
            return;
        case OFPT_GET_CONFIG_REQUEST:
            exactLength(msg, OfWire.HEADER_LEN);
            ByteBuf cfg = OfWire.start(s.version, OFPT_GET_CONFIG_REPLY, OfWire.xid(msg));
            cfg.writeShort(s.ofproto.fragMode | s.configFlags).writeShort(s.missSendLen);
            s.send(OfWire.finish(cfg));
            return;
        case OFPT_SET_CONFIG:
            // By hand: Loxi drops OVS's frag mode 3 and the invalid-TTL flag.
            exactLength(msg, 12);
            // The fragment mode (low two bits) is the switch's; the rest belongs to the connection.
            s.ofproto.fragMode = OfWire.u16(msg, 8) & 3;
            s.configFlags = OfWire.u16(msg, 8) & ~3;
            s.missSendLen = OfWire.u16(msg, 10);
            return;
        case OFPT_PACKET_OUT:
            packetOut((OFPacketOut) parse(msg));
            return;
        case OfWire.OFPT10_FLOW_MOD:
            flowMod(msg);
            return;
        default:
            break;
        }
        if (v10 ? type == OFPT10_PORT_MOD : type == OFPT13_PORT_MOD) {
            portMod((OFPortMod) parse(msg));
        } else if (v10 ? type == OfWire.OFPT10_STATS_REQUEST : type == OfWire.OFPT13_MULTIPART_REQUEST) {
            statsRequest(msg);
        } else if (v10 ? type == OFPT10_BARRIER_REQUEST : type == OFPT13_BARRIER_REQUEST) {
            exactLength(msg, OfWire.HEADER_LEN);
            s.send(OfWire.finish(OfWire.start(s.version, type + 1, OfWire.xid(msg))));
        } else {
            throw OfError.BAD_TYPE.exception("message type " + type);
        }
    }

    private static void exactLength(byte[] msg, int len) throws OfError.OfErrorException {
        if (msg.length != len) {
            throw OfError.BAD_LEN.exception("length " + msg.length + " != " + len);
        }
    }

    private static OFMessage parse(byte[] msg) throws OfError.OfErrorException {
        OFMessage m;
        try {
            m = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(msg));
        } catch (OFParseError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (m == null) {
            throw OfError.BAD_LEN.exception("truncated message");
        }
        return m;
    }

    private void vendor(byte[] msg) throws OfError.OfErrorException {
        if (msg.length < 12) {
            throw OfError.BAD_LEN.exception("vendor message too short");
        }
        int vendor = OfWire.u32(msg, 8);
        if (vendor != OfWire.NX_VENDOR) {
            throw OfError.BAD_VENDOR.exception("vendor " + Integer.toHexString(vendor));
        }
        if (msg.length < 16) {
            throw OfError.BAD_LEN.exception("nicira message too short");
        }
        int subtype = OfWire.u32(msg, 12);
        switch (subtype) {
        case OfWire.NXT_SET_FLOW_FORMAT:
            exactLength(msg, 20);
            int format = OfWire.u32(msg, 16);
            if (format != 0 && format != 2) {
                throw OfError.BAD_REQUEST_EPERM.exception("flow format " + format);
            }
            s.nxmFlowFormat = format == 2;
            return;
        case OfWire.NXT_FLOW_MOD_TABLE_ID:
            exactLength(msg, 24);
            s.flowModTableId = msg[16] != 0;
            return;
        case OfWire.NXT_SET_PACKET_IN_FORMAT:
            exactLength(msg, 20);
            // Only standard packet-ins are made; ovs-ofctl monitor falls back to them.
            if (OfWire.u32(msg, 16) != 0) {
                throw OfError.BAD_REQUEST_EPERM.exception("packet-in format " + OfWire.u32(msg, 16));
            }
            return;
        case OfWire.NXT_FLOW_MOD:
            nxFlowMod(msg);
            return;
        default:
            throw OfError.BAD_SUBTYPE.exception("nicira subtype " + subtype);
        }
    }

    private void flowMod(byte[] msg) throws OfError.OfErrorException {
        int table = FlowTables.ALL_TABLES;
        boolean v10 = s.version == OfWire.OF10;
        // Loxi gets the message without its actions (instructions): it cannot read Nicira
        // actions, readActions can. What is too short for that is Loxi's to refuse.
        int actionsAt = v10 ? OF10_FLOW_MOD_LEN
                : msg.length >= OF13_FLOW_MOD_LEN + 4 ? OF13_FLOW_MOD_LEN + (OfWire.u16(msg, 50) + 7) / 8 * 8 : -1;
        List<FlowAction> actions = null;
        if (actionsAt >= 0 && msg.length >= actionsAt) {
            ByteBuf rest = Unpooled.wrappedBuffer(msg, actionsAt, msg.length - actionsAt);
            actions = v10 ? readActions(rest, ACTIONS10) : readInstructions(rest);
            msg = java.util.Arrays.copyOf(msg, actionsAt);
            msg[2] = (byte) (actionsAt >>> 8);
            msg[3] = (byte) actionsAt;
            if (v10) {
                // The command is at offset 56; its high byte is the table with flow_mod_table_id on.
                if (s.flowModTableId) {
                    table = msg[56] & 0xff;
                }
                msg[56] = 0;
            }
        }
        OFFlowMod fm = (OFFlowMod) parse(msg);
        if (actions == null) {
            throw OfError.BAD_LEN.exception("flow mod too short");
        }
        if (fm.getBufferId() != null && !fm.getBufferId().equals(OFBufferId.NO_BUFFER)) {
            throw OfError.BUFFER_UNKNOWN.exception("no buffers");
        }
        FlowMod.Command command = command(fm.getCommand().ordinal());
        FlowMatch match = LoxiMatch.read(fm.getMatch());
        Set<OFFlowModFlags> flags = fm.getFlags();
        long cookie = fm.getCookie().getValue();
        long cookieMask = v10 ? 0 : fm.getCookieMask().getValue();
        if (!v10) {
            table = fm.getTableId().getValue();
        }
        Long newCookie = v10 || command == FlowMod.Command.ADD ? cookie : null;
        int outPort = OfPorts.fromLoxi(fm.getOutPort());
        s.ofproto.flowMod(new FlowMod(command, table, match, fm.getPriority(), cookie, cookieMask, newCookie,
                fm.getIdleTimeout(), fm.getHardTimeout(), outPort, flags.contains(OFFlowModFlags.SEND_FLOW_REM),
                flags.contains(OFFlowModFlags.CHECK_OVERLAP), resetCounts(v10, command, flags),
                actions, v10));
    }

    /** In OF1.0 an add always resets counters and nothing else does; from OF1.2 on the flag says so. */
    private static boolean resetCounts(boolean v10, FlowMod.Command command, Set<OFFlowModFlags> flags) {
        return v10 ? command == FlowMod.Command.ADD : flags.contains(OFFlowModFlags.RESET_COUNTS);
    }

    private static FlowMod.Command command(int ordinal) throws OfError.OfErrorException {
        FlowMod.Command[] all = FlowMod.Command.values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw OfError.FLOW_MOD_BAD_COMMAND.exception("command " + ordinal);
        }
        return all[ordinal];
    }

    /** NXT_FLOW_MOD: the OF1.0 flow_mod fields, then an NXM match, then OF1.0 actions. */
    private void nxFlowMod(byte[] msg) throws OfError.OfErrorException {
        if (msg.length < 48) {
            throw OfError.BAD_LEN.exception("NXT_FLOW_MOD too short");
        }
        ByteBuf b = Unpooled.wrappedBuffer(msg);
        b.readerIndex(16);
        long cookie = b.readLong();
        int rawCommand = b.readUnsignedShort();
        int idle = b.readUnsignedShort();
        int hard = b.readUnsignedShort();
        int priority = b.readUnsignedShort();
        int bufferId = b.readInt();
        int outPort = b.readUnsignedShort();
        int flags = b.readUnsignedShort();
        int matchLen = b.readUnsignedShort();
        b.skipBytes(6);
        int padded = (matchLen + 7) / 8 * 8;
        if (b.readableBytes() < padded) {
            throw OfError.BAD_LEN.exception("NXT_FLOW_MOD match too long");
        }
        if (bufferId != -1) {
            throw OfError.BUFFER_UNKNOWN.exception("no buffers");
        }
        int start = b.readerIndex();
        NxmCodec.Decoded match = NxmCodec.decode(b, matchLen);
        b.readerIndex(start + padded);
        List<FlowAction> actions = readActions(b, ACTIONS10);
        int table = s.flowModTableId ? rawCommand >>> 8 : FlowTables.ALL_TABLES;
        FlowMod.Command command = command(rawCommand & 0xff);
        s.ofproto.flowMod(new FlowMod(command, table, match.match(), priority, match.cookie(), match.cookieMask(),
                command == FlowMod.Command.ADD || match.cookieMask() == 0 ? cookie : null, idle, hard, outPort,
                (flags & 1) != 0, (flags & 2) != 0, command == FlowMod.Command.ADD, actions, match.cookieMask() == 0));
    }

    /**
     * OF1.3 instructions: apply-actions (read as {@link #readActions}) and goto-table, which
     * becomes the last action; any other instruction is refused.
     */
    private static List<FlowAction> readInstructions(ByteBuf b) throws OfError.OfErrorException {
        List<FlowAction> actions = new java.util.ArrayList<>();
        FlowAction gotoTable = null;
        while (b.readableBytes() > 0) {
            int at = b.readerIndex();
            int len = b.readableBytes() >= 4 ? b.getUnsignedShort(at + 2) : 0;
            if (len < 8 || len % 8 != 0 || len > b.readableBytes()) {
                throw OfError.BAD_LEN.exception("instruction length " + len);
            }
            int type = b.getUnsignedShort(at);
            if (type == OFPIT_APPLY_ACTIONS) {
                actions.addAll(readActions(b.slice(at + 8, len - 8), ACTIONS13));
            } else if (type == OFPIT_GOTO_TABLE) {
                gotoTable = new FlowAction.GotoTable(b.getUnsignedByte(at + 4));
            } else {
                throw OfError.BAD_INSTRUCTION.exception("unsupported instruction " + type);
            }
            b.skipBytes(len);
        }
        if (gotoTable != null) {
            actions.add(gotoTable);
        }
        return actions;
    }

    /** An action list: Nicira vendor actions by hand, the standard ones by Loxi's 'reader'. */
    static List<FlowAction> readActions(ByteBuf b, OFActions loxi) throws OfError.OfErrorException {
        List<FlowAction> actions = new java.util.ArrayList<>();
        while (b.readableBytes() > 0) {
            if (NxActions.atVendorAction(b)) {
                actions.add(NxActions.read(b));
                continue;
            }
            OFAction a;
            try {
                a = loxi.getReader().readFrom(b);
            } catch (OFParseError e) {
                throw OfError.BAD_ACTION_TYPE.exception(e.getMessage());
            }
            if (a == null) {
                throw OfError.BAD_ACTION_LEN.exception("truncated action");
            }
            actions.addAll(LoxiActions.read(List.of(a)));
        }
        return actions;
    }

    private void packetOut(OFPacketOut po) throws OfError.OfErrorException {
        if (!po.getBufferId().equals(OFBufferId.NO_BUFFER)) {
            throw OfError.BUFFER_UNKNOWN.exception("no buffers");
        }
        int inPort = OfPorts.fromLoxi(po.getInPort());
        s.ofproto.packetOut(inPort, LoxiActions.read(po.getActions()), po.getData());
    }

    private void portMod(OFPortMod pm) throws OfError.OfErrorException {
        int port = OfPorts.fromLoxi(pm.getPortNo());
        boolean maskDown = pm.getMask().contains(OFPortConfig.PORT_DOWN);
        boolean down = pm.getConfig().contains(OFPortConfig.PORT_DOWN);
        s.ofproto.portMod(port, pm.getHwAddr().getLong(), maskDown ? Boolean.valueOf(!down) : null);
    }

    private void statsRequest(byte[] msg) throws OfError.OfErrorException {
        boolean v10 = s.version == OfWire.OF10;
        if (msg.length < (v10 ? 12 : 16)) {
            throw OfError.BAD_LEN.exception("stats request too short");
        }
        int statsType = OfWire.u16(msg, 8);
        if (statsType == OfWire.STATS_VENDOR) {
            stats.vendorStats(msg);
        } else if (v10 && statsType == OfWire.OFPST10_PORT_DESC) {
            exactLength(msg, 12);
            stats.portDesc10(OfWire.xid(msg));
        } else {
            stats.standard((OFStatsRequest<?>) parse(msg));
        }
    }
}
