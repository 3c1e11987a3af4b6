package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The OpenFlow protocol on one connection, as OVS's ofconn: version negotiation (our HELLO goes
 * out at once, with a version bitmap when the allowed versions are not 1..max), then each
 * request dispatched by a pre-dispatcher that peeks at version, type, vendor and subtype, so
 * Nicira messages are decoded by hand and standard ones by Loxi. Every request that cannot be
 * honoured gets OFPT_ERROR with OVS's type and code for the version and the request itself; the
 * connection stays up. Per-connection state: flow format, flow_mod_table_id, packet-in format,
 * miss_send_len, the config flags and the bundles (idle ones expire, checked every second).
 *
 * <p>Owned by its {@link Ofproto} (service connections) or {@link ControllerLink}; main thread
 * only, never blocks.
 */
final class OfSession {
    static final Logger LOG = LoggerFactory.getLogger("vconn");
    private static final int MAX_PER_RUN = 50;
    private static final long BUNDLE_EXPIRY_INTERVAL = 1000;
    /** OFP_DEFAULT_MISS_SEND_LEN, what a controller connection starts with. */
    static final int DEFAULT_MISS_SEND_LEN = 128;
    // Message and multipart types that do not count towards admission (see admits()).
    private static final int OFPT_SET_CONFIG = 9;
    private static final int OF10_QUEUE_GET_CONFIG_REQUEST = 20;
    private static final int OF10_QUEUE_GET_CONFIG_REPLY = 21;
    private static final int OF13_QUEUE_GET_CONFIG_REQUEST = 22;
    private static final int OF13_QUEUE_GET_CONFIG_REPLY = 23;
    private static final int OF13_GET_ASYNC_REQUEST = 26;
    private static final int OF13_GET_ASYNC_REPLY = 27;
    private static final int MP_GROUP = 6;
    private static final int MP_GROUP_DESC = 7;
    private static final int MP_GROUP_FEATURES = 8;
    private static final int MP_TABLE_FEATURES = 12;

    final OfConnection conn;
    final Ofproto ofproto;
    final boolean controller;
    private final int allowedVersions;
    /** The negotiated version, 0 until the peer's HELLO. */
    int version;
    OFFactory factory;
    boolean nxmFlowFormat;
    boolean flowModTableId;
    int configFlags;
    int missSendLen;
    /** Messages received so far (activity for the inactivity probe). */
    long received;
    /** Whether the peer has sent anything beyond handshake, echo and config messages (OVS's rconn "admitted"). */
    boolean admitted;
    final Bundles bundles = new Bundles();
    /** When idle bundles are next looked for, as OVS's connmgr every BUNDLE_EXPIRY_INTERVAL. */
    private long nextBundleExpiry;
    private final OfRequests requests;

    /** 'allowedVersions' is a bitmap of OpenFlow wire versions (bit 1 = 1.0 ... bit 6 = 1.5). */
    OfSession(OfConnection conn, Ofproto ofproto, boolean controller, int allowedVersions) {
        this.conn = conn;
        this.ofproto = ofproto;
        this.controller = controller;
        this.allowedVersions = allowedVersions;
        this.missSendLen = controller ? DEFAULT_MISS_SEND_LEN : 0;
        this.requests = new OfRequests(this);
        this.nextBundleExpiry = ofproto.now() + BUNDLE_EXPIRY_INTERVAL;
        conn.send(hello());
    }

    private byte[] hello() {
        int max = 31 - Integer.numberOfLeadingZeros(allowedVersions);
        ByteBuf b = OfWire.start(max, OfWire.OFPT_HELLO, 0);
        int contiguous = (1 << (max + 1)) - 2;
        if (allowedVersions != contiguous) {
            b.writeShort(1).writeShort(8).writeInt(allowedVersions);
        }
        return OfWire.finish(b);
    }

    boolean isNegotiated() {
        return version != 0 && conn.isOpen();
    }

    /** Whether asynchronous messages may go out: controllers always, service connections once miss_send_len is set. */
    boolean wantsAsync() {
        return isNegotiated() && (controller || missSendLen != 0);
    }

    /** Handles what arrived; returns false once the connection is finished. */
    boolean run() {
        for (byte[] msg : conn.receive(MAX_PER_RUN)) {
            received++;
            admitted |= admits(msg);
            handle(msg);
            if (!conn.isOpen()) {
                break;
            }
        }
        expireBundles();
        conn.flush();
        return conn.isOpen();
    }

    /**
     * Drops the bundles left unused for the idle timeout, each with OFPBFC_TIMEOUT quoting the
     * message that made it.
     */
    private void expireBundles() {
        long now = ofproto.now();
        if (now >= nextBundleExpiry) {
            nextBundleExpiry = now + BUNDLE_EXPIRY_INTERVAL;
            for (byte[] msg : bundles.expire(now - ofproto.bundleIdleTimeout())) {
                sendError(OfError.BUNDLE_TIMEOUT, msg);
            }
        }
    }

    /**
     * Whether 'msg' counts towards admission, as rconn's is_admitted_msg(): not the handshake,
     * errors, echoes, features, configuration, queue configuration, async configuration, or
     * group and table feature/description requests.
     */
    static boolean admits(byte[] msg) {
        int version = OfWire.version(msg);
        int type = OfWire.type(msg);
        if (type <= OFPT_SET_CONFIG) {
            return type == OfWire.OFPT_VENDOR;
        }
        if (version == OfWire.OF10) {
            return type != OF10_QUEUE_GET_CONFIG_REQUEST && type != OF10_QUEUE_GET_CONFIG_REPLY;
        }
        if (type == OF13_QUEUE_GET_CONFIG_REQUEST || type == OF13_QUEUE_GET_CONFIG_REPLY
                || type == OF13_GET_ASYNC_REQUEST || type == OF13_GET_ASYNC_REPLY) {
            return false;
        }
        if ((type == OfWire.OFPT11_MULTIPART_REQUEST || type == OfWire.OFPT11_MULTIPART_REPLY) && msg.length >= 10) {
            int mp = ((msg[8] & 0xff) << 8) | (msg[9] & 0xff);
            return mp != MP_GROUP && mp != MP_GROUP_DESC && mp != MP_GROUP_FEATURES && mp != MP_TABLE_FEATURES;
        }
        return true;
    }

    void send(byte[] msg) {
        conn.send(msg);
    }

    void send(OFMessage msg) {
        ByteBuf b = Unpooled.buffer(128);
        msg.writeTo(b);
        byte[] out = new byte[b.writerIndex()];
        b.getBytes(0, out);
        conn.send(out);
    }

    /**
     * OFPT_ERROR for 'request' in the request's own version, as OVS's ofperr_encode_reply (so a
     * message of the wrong version gets its OFPBRC_BAD_VERSION in that version), or in OpenFlow
     * 1.0 when the version is not one OVS knows.
     */
    void sendError(OfError e, byte[] request) {
        int v = OfWire.version(request);
        send(OfWire.error(v >= OfWire.OF10 && v <= OfWire.OF15 ? v : OfWire.OF10, e, request));
    }

    private void handle(byte[] msg) {
        int type = OfWire.type(msg);
        if (version == 0) {
            if (type != OfWire.OFPT_HELLO) {
                LOG.info("{}: received message while expecting hello", conn.name);
                conn.close();
                return;
            }
            negotiate(msg);
            return;
        }
        if (OfWire.version(msg) != version && type > OfWire.OFPT_ECHO_REQUEST + 1) {
            LOG.error("{}: received OpenFlow version 0x{} != expected {}", conn.name,
                    String.format("%02x", OfWire.version(msg)), String.format("%02x", version));
            sendError(OfError.BAD_VERSION, msg);
            return;
        }
        try {
            requests.dispatch(msg);
        } catch (OfError.OfErrorException e) {
            LOG.debug("{}: {}: {}", conn.name, e.error, e.getMessage());
            sendError(e.error, msg);
        } catch (RuntimeException e) {
            LOG.debug("{}: cannot decode message: {}", conn.name, e.toString());
            sendError(errorFor(e, msg), msg);
        }
    }

    /** The error OVS gives for a message Loxi could not decode, judged from Loxi's complaint. */
    private static OfError errorFor(Exception e, byte[] msg) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("OFAction")) {
            return OfError.BAD_ACTION_TYPE;
        }
        if (why.contains("OFOxm") || why.contains("Match")) {
            return OfError.BAD_MATCH_FIELD;
        }
        if (why.contains("OFInstruction")) {
            return OfError.BAD_INSTRUCTION;
        }
        if (why.contains("statsType") || why.contains("StatsRequest")) {
            return OfError.BAD_STAT;
        }
        if (why.contains("type of class OFMessage")) {
            return OfError.BAD_TYPE;
        }
        return OfError.BAD_LEN;
    }

    private void negotiate(byte[] hello) {
        int peerVersion = OfWire.version(hello);
        int peerVersions = peerVersion >= 31 ? -2 : (1 << (peerVersion + 1)) - 2;
        // A version bitmap element, if present, says exactly what the peer supports.
        int at = OfWire.HEADER_LEN;
        while (at + 4 <= hello.length) {
            int elemType = OfWire.u16(hello, at);
            int elemLen = OfWire.u16(hello, at + 2);
            if (elemLen < 4) {
                break;
            }
            if (elemType == 1 && elemLen >= 8) {
                peerVersions = OfWire.u32(hello, at + 4);
            }
            at += (elemLen + 7) / 8 * 8;
        }
        int common = peerVersions & allowedVersions;
        if (common == 0) {
            String text = "We support " + versionList(allowedVersions) + ", you support " + versionList(peerVersions)
                    + ", no common versions";
            LOG.warn("{}: version negotiation failed ({})", conn.name, text);
            send(OfWire.helloFailed(Math.min(peerVersion, 31 - Integer.numberOfLeadingZeros(allowedVersions)),
                    OfWire.xid(hello), text));
            conn.flush();
            conn.close();
            return;
        }
        version = 31 - Integer.numberOfLeadingZeros(common);
        factory = OFFactories.getFactory(OfWire.loxi(version));
        LOG.debug("{}: negotiated OpenFlow version 0x{}", conn.name, String.format("%02x", version));
        ofproto.sessionNegotiated(this);
    }

    private static String versionList(int bitmap) {
        StringBuilder sb = new StringBuilder("version");
        String sep = bitmap != 0 && (bitmap & bitmap - 1) != 0 ? "s " : " ";
        for (int v = 1; v < 32; v++) {
            if ((bitmap & 1 << v) != 0) {
                sb.append(sep).append(String.format("0x%02x", v));
                sep = ", ";
            }
        }
        return sb.toString();
    }

    void waitFor(org.jovs.core.PollLoop loop) {
        conn.waitFor(loop);
        if (!bundles.isEmpty()) {
            loop.timerWaitUntil(nextBundleExpiry);
        }
    }

    void close() {
        conn.close();
    }
}
