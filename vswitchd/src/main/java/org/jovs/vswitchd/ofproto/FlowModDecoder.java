package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.types.OFBufferId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Decodes a session's flow table modifications, in any version it speaks, into {@link FlowMod}s
 * that no table state could refuse any more: OFPT_FLOW_MOD (Loxi reads the fixed part and the
 * match; the OF1.0 action list or the OF1.1+ instructions are read here, since Loxi cannot read
 * Nicira actions) and NXT_FLOW_MOD (NXM match). The checks and errors are those OVS makes
 * before a flow mod runs or enters a bundle (ofputil_decode_flow_mod, ofproto_flow_mod_init):
 * what is left (overlap) is for {@link FlowTables#apply}. Main thread only: it reads the
 * session's version and flow_mod_table_id.
 */
final class FlowModDecoder {
    /** An OF1.0 FLOW_MOD without actions: header, match, cookie ... flags. */
    private static final int OF10_FLOW_MOD_LEN = 72;
    /** An OF1.1+ FLOW_MOD before its match: header, cookie ... flags, importance (1.4+) or pad. */
    private static final int OF11_FLOW_MOD_LEN = 48;
    /** Where an OF1.0 FLOW_MOD's command is; its high byte is the table with flow_mod_table_id on. */
    private static final int OF10_COMMAND_AT = 56;
    private static final int NX_FLOW_MOD_LEN = 48;
    private static final int OFPIT_GOTO_TABLE = 1;
    private static final int OFPIT_APPLY_ACTIONS = 4;
    private static final int NX_SEND_FLOW_REM = 1;
    private static final int NX_CHECK_OVERLAP = 2;

    private final OfSession s;

    FlowModDecoder(OfSession s) {
        this.s = s;
    }

    /** OFPT_FLOW_MOD in the session's version. */
    FlowMod decode(byte[] msg) throws OfError.OfErrorException {
        int table = FlowTables.ALL_TABLES;
        boolean v10 = s.version == OfWire.OF10;
        // Loxi gets the message without its actions (instructions); what is too short for that
        // is Loxi's to refuse.
        int actionsAt = v10 ? OF10_FLOW_MOD_LEN
                : msg.length >= OF11_FLOW_MOD_LEN + 4 ? OF11_FLOW_MOD_LEN + (OfWire.u16(msg, 50) + 7) / 8 * 8 : -1;
        List<FlowAction> actions = null;
        if (actionsAt >= 0 && msg.length >= actionsAt) {
            ByteBuf rest = Unpooled.wrappedBuffer(msg, actionsAt, msg.length - actionsAt);
            actions = v10 ? readActions(rest, s.factory.actions()) : readInstructions(rest);
            msg = Arrays.copyOf(msg, actionsAt);
            msg[2] = (byte) (actionsAt >>> 8);
            msg[3] = (byte) actionsAt;
            if (v10) {
                if (s.flowModTableId) {
                    table = msg[OF10_COMMAND_AT] & 0xff;
                }
                msg[OF10_COMMAND_AT] = 0;
            }
        }
        OFFlowMod fm = (OFFlowMod) OfRequests.parse(msg);
        if (actions == null) {
            throw OfError.BAD_LEN.exception("flow mod too short");
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
        int importance = s.version >= OfWire.OF14 ? fm.getImportance() : 0;
        // In OpenFlow 1.1 only, a modify that does not select by cookie adds the flow if it
        // selects none (with its cookie, which it does not change on the flows it selects).
        boolean modify = command == FlowMod.Command.MODIFY || command == FlowMod.Command.MODIFY_STRICT;
        boolean addIfMissing = v10 || s.version == OfWire.OF11 && modify && cookieMask == 0;
        FlowMod mod = new FlowMod(command, table, match, fm.getPriority(), cookie, cookieMask, newCookie,
                fm.getIdleTimeout(), fm.getHardTimeout(), outPort, flags.contains(OFFlowModFlags.SEND_FLOW_REM),
                flags.contains(OFFlowModFlags.CHECK_OVERLAP), resetCounts(command, flags), actions, addIfMissing,
                importance);
        return checked(mod, fm.getBufferId() == null || fm.getBufferId().equals(OFBufferId.NO_BUFFER));
    }

    /** In OF1.0 and 1.1 an add always resets counters and nothing else does; from OF1.2 on the flag says so. */
    private boolean resetCounts(FlowMod.Command command, Set<OFFlowModFlags> flags) {
        return s.version <= OfWire.OF11 ? command == FlowMod.Command.ADD : flags.contains(OFFlowModFlags.RESET_COUNTS);
    }

    /** 'mod' once the tables could take it; an add or modify must not name a buffer, as OVS has none. */
    private static FlowMod checked(FlowMod mod, boolean noBuffer) throws OfError.OfErrorException {
        FlowTables.check(mod);
        if (!noBuffer && !mod.command().isDelete()) {
            throw OfError.BUFFER_UNKNOWN.exception("no buffers");
        }
        return mod;
    }

    private static FlowMod.Command command(int ordinal) throws OfError.OfErrorException {
        FlowMod.Command[] all = FlowMod.Command.values();
        if (ordinal < 0 || ordinal >= all.length) {
            throw OfError.FLOW_MOD_BAD_COMMAND.exception("command " + ordinal);
        }
        return all[ordinal];
    }

    /** NXT_FLOW_MOD: the OF1.0 flow_mod fields, then an NXM match, then OF1.0 actions. */
    FlowMod decodeNx(byte[] msg) throws OfError.OfErrorException {
        if (msg.length < NX_FLOW_MOD_LEN) {
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
        int start = b.readerIndex();
        NxmCodec.Decoded match = NxmCodec.decode(b, matchLen);
        b.readerIndex(start + padded);
        List<FlowAction> actions = readActions(b, s.ofproto.factory10().actions());
        int table = s.flowModTableId ? rawCommand >>> 8 : FlowTables.ALL_TABLES;
        FlowMod.Command command = command(rawCommand & 0xff);
        FlowMod mod = new FlowMod(command, table, match.match(), priority, match.cookie(), match.cookieMask(),
                command == FlowMod.Command.ADD || match.cookieMask() == 0 ? cookie : null, idle, hard, outPort,
                (flags & NX_SEND_FLOW_REM) != 0, (flags & NX_CHECK_OVERLAP) != 0, command == FlowMod.Command.ADD,
                actions, match.cookieMask() == 0);
        return checked(mod, bufferId == -1);
    }

    /**
     * OF1.1+ instructions: apply-actions (read as {@link #readActions}) and goto-table, which
     * becomes the last action; any other instruction is refused.
     */
    private List<FlowAction> readInstructions(ByteBuf b) throws OfError.OfErrorException {
        List<FlowAction> actions = new ArrayList<>();
        FlowAction gotoTable = null;
        while (b.readableBytes() > 0) {
            int at = b.readerIndex();
            int len = b.readableBytes() >= 4 ? b.getUnsignedShort(at + 2) : 0;
            if (len < 8 || len % 8 != 0 || len > b.readableBytes()) {
                throw OfError.BAD_LEN.exception("instruction length " + len);
            }
            int type = b.getUnsignedShort(at);
            if (type == OFPIT_APPLY_ACTIONS) {
                actions.addAll(readActions(b.slice(at + 8, len - 8), s.factory.actions()));
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

    /** An action list: Nicira vendor actions by hand, the standard ones by Loxi's 'loxi'. */
    private static List<FlowAction> readActions(ByteBuf b, OFActions loxi) throws OfError.OfErrorException {
        List<FlowAction> actions = new ArrayList<>();
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
}
