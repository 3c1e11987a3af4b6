package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The requests of one {@link OfSession} after negotiation: the pre-dispatcher (by type, then
 * vendor and subtype) and the handlers of the non-statistics messages; statistics go to
 * {@link StatsReplies}, flow mods are decoded by {@link FlowModDecoder}, bundles handled by
 * {@link BundleRequests}. Handlers throw {@link OfError.OfErrorException} for the session to
 * answer. Main thread only.
 */
final class OfRequests {
    private static final int OFPT_ECHO_REPLY = 3;
    private static final int OFPT_FEATURES_REQUEST = 5;
    private static final int OFPT_GET_CONFIG_REQUEST = 7;
    private static final int OFPT_GET_CONFIG_REPLY = 8;
    private static final int OFPT_SET_CONFIG = 9;
    private static final int OFPT_PACKET_OUT = 13;
    private static final int OFPT_FLOW_MOD = 14;
    private static final int OFPT10_PORT_MOD = 15;
    private static final int OFPT11_PORT_MOD = 16;
    private static final int OFPT10_BARRIER_REQUEST = 18;
    private static final int OFPT11_BARRIER_REQUEST = 20;
    private static final int OFPT14_BUNDLE_CONTROL = 33;
    private static final int OFPT14_BUNDLE_ADD_MESSAGE = 34;
    private static final int ONFT13_BUNDLE_CONTROL = 2300;
    private static final int ONFT13_BUNDLE_ADD_MESSAGE = 2301;
    /** An OpenFlow 1.1+ vendor (experimenter) message's header: header, experimenter, type. */
    private static final int EXPERIMENTER_HEADER_LEN = 16;

    private final OfSession s;
    private final StatsReplies stats;
    private final FlowModDecoder flowMods;
    private final BundleRequests bundles;

    OfRequests(OfSession s) {
        this.s = s;
        this.stats = new StatsReplies(s);
        this.flowMods = new FlowModDecoder(s);
        this.bundles = new BundleRequests(s, this);
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
            s.ofproto.packetOut(packetOut((OFPacketOut) parse(msg)));
            return;
        case OFPT_FLOW_MOD:
            s.ofproto.flowMod(flowMods.decode(msg));
            return;
        default:
            break;
        }
        if (v10 ? type == OFPT10_PORT_MOD : type == OFPT11_PORT_MOD) {
            s.ofproto.portMod(portMod((OFPortMod) parse(msg)));
        } else if (v10 ? type == OfWire.OFPT10_STATS_REQUEST : type == OfWire.OFPT11_MULTIPART_REQUEST) {
            statsRequest(msg);
        } else if (v10 ? type == OFPT10_BARRIER_REQUEST : type == OFPT11_BARRIER_REQUEST) {
            exactLength(msg, OfWire.HEADER_LEN);
            s.send(OfWire.finish(OfWire.start(s.version, type + 1, OfWire.xid(msg))));
        } else if (s.version >= OfWire.OF14 && type == OFPT14_BUNDLE_CONTROL) {
            bundles.control(msg, OfWire.HEADER_LEN);
        } else if (s.version >= OfWire.OF14 && type == OFPT14_BUNDLE_ADD_MESSAGE) {
            bundles.add(msg, OfWire.HEADER_LEN);
        } else {
            throw OfError.BAD_TYPE.exception("message type " + type);
        }
    }

    /**
     * The change 'msg' (a message inside a bundle, of the session's version) asks for, checked as
     * far as OVS checks before a bundle takes it in; null if it is of a kind no bundle may hold.
     */
    Modification decodeModification(byte[] msg) throws OfError.OfErrorException {
        int type = OfWire.type(msg);
        if (type == OFPT_FLOW_MOD) {
            return flowMods.decode(msg);
        }
        if (type == OfWire.OFPT_VENDOR && msg.length >= EXPERIMENTER_HEADER_LEN
                && OfWire.u32(msg, 8) == OfWire.NX_VENDOR && OfWire.u32(msg, 12) == OfWire.NXT_FLOW_MOD) {
            return flowMods.decodeNx(msg);
        }
        if (type == (s.version == OfWire.OF10 ? OFPT10_PORT_MOD : OFPT11_PORT_MOD)) {
            return portMod((OFPortMod) parse(msg));
        }
        if (type == OFPT_PACKET_OUT) {
            return packetOut((OFPacketOut) parse(msg));
        }
        return null;
    }

    private static void exactLength(byte[] msg, int len) throws OfError.OfErrorException {
        if (msg.length != len) {
            throw OfError.BAD_LEN.exception("length " + msg.length + " != " + len);
        }
    }

    static OFMessage parse(byte[] msg) throws OfError.OfErrorException {
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
        if (vendor != OfWire.NX_VENDOR && vendor != OfWire.ONF_VENDOR) {
            throw OfError.BAD_VENDOR.exception("vendor " + Integer.toHexString(vendor));
        }
        if (msg.length < EXPERIMENTER_HEADER_LEN) {
            throw OfError.BAD_LEN.exception("vendor message too short");
        }
        int subtype = OfWire.u32(msg, 12);
        if (vendor == OfWire.ONF_VENDOR) {
            onf(msg, subtype);
            return;
        }
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
            s.ofproto.flowMod(flowMods.decodeNx(msg));
            return;
        default:
            throw OfError.BAD_SUBTYPE.exception("nicira subtype " + subtype);
        }
    }

    /** The ONF extensions OVS has for OpenFlow 1.3: only bundles here. */
    private void onf(byte[] msg, int subtype) throws OfError.OfErrorException {
        if (s.version == OfWire.OF13 && subtype == ONFT13_BUNDLE_CONTROL) {
            bundles.control(msg, EXPERIMENTER_HEADER_LEN);
        } else if (s.version == OfWire.OF13 && subtype == ONFT13_BUNDLE_ADD_MESSAGE) {
            bundles.add(msg, EXPERIMENTER_HEADER_LEN);
        } else {
            throw OfError.BAD_SUBTYPE.exception("ONF subtype " + subtype);
        }
    }

    /** An OF1.5 packet-out says where the frame comes from in its match, which must say it (OFPBRC_BAD_PORT). */
    private PacketOut packetOut(OFPacketOut po) throws OfError.OfErrorException {
        if (!po.getBufferId().equals(OFBufferId.NO_BUFFER)) {
            throw OfError.BUFFER_UNKNOWN.exception("no buffers");
        }
        int inPort;
        if (s.version >= OfWire.OF15) {
            if (!po.getMatch().isFullyWildcarded(MatchField.IN_PORT) && po.getMatch().isExact(MatchField.IN_PORT)) {
                inPort = OfPorts.fromLoxi(po.getMatch().get(MatchField.IN_PORT));
            } else {
                throw OfError.BAD_PORT.exception("packet-out without in_port");
            }
        } else {
            inPort = OfPorts.fromLoxi(po.getInPort());
        }
        // As OVS's decoder: a frame may come from a port, or LOCAL, NONE or CONTROLLER.
        if (inPort >= OfPorts.MAX && inPort != OfPorts.LOCAL && inPort != OfPorts.NONE
                && inPort != OfPorts.CONTROLLER) {
            throw OfError.BAD_PORT.exception("in_port " + inPort);
        }
        return new PacketOut(inPort, LoxiActions.read(po.getActions()), po.getData());
    }

    private static PortMod portMod(OFPortMod pm) {
        int port = OfPorts.fromLoxi(pm.getPortNo());
        boolean maskDown = pm.getMask().contains(OFPortConfig.PORT_DOWN);
        boolean down = pm.getConfig().contains(OFPortConfig.PORT_DOWN);
        return new PortMod(port, pm.getHwAddr().getLong(), maskDown ? Boolean.valueOf(!down) : null);
    }

    private void statsRequest(byte[] msg) throws OfError.OfErrorException {
        boolean v10 = s.version == OfWire.OF10;
        if (msg.length < (v10 ? 12 : 16)) {
            throw OfError.BAD_LEN.exception("stats request too short");
        }
        int statsType = OfWire.u16(msg, 8);
        if (statsType == OfWire.STATS_VENDOR) {
            stats.vendorStats(msg);
        } else if (s.version < OfWire.OF13 && statsType == OfWire.OFPST10_PORT_DESC) {
            // OVS's extension before OpenFlow 1.3, which Loxi does not know: a request without a body.
            exactLength(msg, v10 ? 12 : 16);
            stats.oldPortDesc(OfWire.xid(msg));
        } else {
            stats.standard((OFStatsRequest<?>) parse(msg));
        }
    }
}
