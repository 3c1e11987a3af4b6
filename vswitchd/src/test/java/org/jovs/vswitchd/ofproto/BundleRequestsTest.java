package org.jovs.vswitchd.ofproto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Bundles on the wire, through a bridge's service socket with an injected clock: the replies
 * and errors (types, codes, xids, quoted messages) of OpenFlow 1.4 bundles and of the ONF
 * extension in 1.3, that a commit is all or nothing, and that idle bundles time out.
 */
class BundleRequestsTest {
    private static final int PORT_MAC = 0x0a0b0c;
    private static final int OFPT_ERROR = 1;
    private static final int OFPT14_BUNDLE_CONTROL = 33;
    private static final int OFPT14_BUNDLE_ADD = 34;
    private static final int ATOMIC_ORDERED = 3;

    @TempDir
    Path dir;
    private long now;
    private Ofproto ofproto;
    private SocketChannel ch;
    private int version;
    private OFFactory f;
    private final List<String> adminChanges = new ArrayList<>();

    private final PortSource ports = new PortSource() {
        @Override
        public List<OfPort> ports() {
            return List.of(new OfPort(1, "p1", PORT_MAC, true, true, 0, true));
        }

        @Override
        public Map<String, Long> stats(int ofport) {
            return Map.of();
        }

        @Override
        public void setAdminUp(int ofport, boolean up) {
            adminChanges.add(ofport + (up ? " up" : " down"));
        }
    };

    private void connect(int wireVersion) throws IOException {
        version = wireVersion;
        f = OFFactories.getFactory(OfWire.loxi(wireVersion));
        ofproto = new Ofproto("br0", dir.toString(), ports, () -> now);
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(dir.resolve("br0.mgmt")));
        ch.configureBlocking(false);
        write(header(0, 0, 8).array());
        List<byte[]> hello = exchange();
        assertEquals(0, hello.get(0)[1], "the switch's HELLO");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (ch != null) {
            ch.close();
        }
        if (ofproto != null) {
            ofproto.destroy();
        }
    }

    private ByteBuf header(int type, int xid, int len) {
        return Unpooled.buffer(len).writeByte(version).writeByte(type).writeShort(len).writeInt(xid);
    }

    private void write(byte[] msg) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(msg);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Lets the switch run until nothing more arrives for a while; returns what it sent. */
    private List<byte[]> exchange() throws IOException {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocate(1 << 20);
        int quiet = 0;
        while (quiet < 20) {
            ofproto.run();
            int n = ch.read(in);
            quiet = n > 0 ? 0 : quiet + 1;
            if (n <= 0) {
                sleep();
            }
        }
        in.flip();
        while (in.remaining() >= 8) {
            int len = in.getShort(in.position() + 2) & 0xffff;
            byte[] m = new byte[len];
            in.get(m);
            out.add(m);
        }
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<byte[]> send(byte[]... msgs) throws IOException {
        for (byte[] m : msgs) {
            write(m);
        }
        return exchange();
    }

    /** OFPT_BUNDLE_CONTROL (1.4+) or ONFT_BUNDLE_CONTROL (1.3). */
    private byte[] control(int xid, int id, int type, int flags) {
        boolean onf = version == OfWire.OF13;
        ByteBuf b = header(onf ? OfWire.OFPT_VENDOR : OFPT14_BUNDLE_CONTROL, xid, 0);
        if (onf) {
            b.writeInt(OfWire.ONF_VENDOR).writeInt(2300);
        }
        b.writeInt(id).writeShort(type).writeShort(flags);
        return OfWire.finish(b);
    }

    private byte[] add(int id, int flags, byte[] inner) {
        boolean onf = version == OfWire.OF13;
        ByteBuf b = header(onf ? OfWire.OFPT_VENDOR : OFPT14_BUNDLE_ADD, OfWire.xid(inner), 0);
        if (onf) {
            b.writeInt(OfWire.ONF_VENDOR).writeInt(2301);
        }
        b.writeInt(id).writeShort(0).writeShort(flags).writeBytes(inner);
        return OfWire.finish(b);
    }

    private byte[] flowAdd(int xid, int table, int inPort, int priority, boolean checkOverlap) {
        var fm = f.buildFlowAdd().setXid(xid).setTableId(TableId.of(table)).setPriority(priority)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0)))));
        if (checkOverlap) {
            fm.setFlags(java.util.EnumSet.of(OFFlowModFlags.CHECK_OVERLAP));
        }
        return StatsReplies.bytes(fm.build());
    }

    private byte[] portDown(int xid) {
        return StatsReplies.bytes(f.buildPortMod().setXid(xid).setPortNo(OFPort.of(1)).setHwAddr(MacAddress.of(PORT_MAC))
                .setConfig(java.util.EnumSet.of(OFPortConfig.PORT_DOWN)).setMask(java.util.EnumSet.of(OFPortConfig.PORT_DOWN))
                .build());
    }

    /** The flows besides the NORMAL flow a standalone bridge without controllers starts with. */
    private int flows() {
        int n = -1;
        for (int t = 0; t < FlowTables.N_TABLES; t++) {
            n += ofproto.tables().flowCount(t);
        }
        return n;
    }

    /** "type/code" of an error reply, or of an experimenter error "exp_type@vendor". */
    private static String error(byte[] m) {
        assertEquals(OFPT_ERROR, m[1], "an error");
        int type = OfWire.u16(m, 8);
        return type == 0xffff ? OfWire.u16(m, 10) + "@" + Integer.toHexString(OfWire.u32(m, 12))
                : type + "/" + OfWire.u16(m, 10);
    }

    /** The type of a bundle control reply, in either form. */
    private int controlType(byte[] m) {
        return OfWire.u16(m, version == OfWire.OF13 ? 20 : 12);
    }

    private static byte[] quoted(byte[] error, int at) {
        return Arrays.copyOfRange(error, at, error.length);
    }

    @Test
    void controlRepliesInOpenFlow14() throws Exception {
        connect(OfWire.OF14);
        List<byte[]> r = send(control(10, 1, 0, 2));
        assertEquals(1, r.size());
        assertEquals("05210010" + "0000000a" + "00000001" + "0001" + "0000", hex(r.get(0)));
        r = send(control(11, 1, 0, 2));
        assertEquals("17/2", error(r.get(0)), "a second open: OFPBFC_BAD_ID");
        assertEquals(11, OfWire.xid(r.get(0)));
        assertArrayEquals(control(11, 1, 0, 2), quoted(r.get(0), 12));
        assertEquals("17/2", error(send(control(12, 1, 2, 2)).get(0)), "the open failed, so no bundle to close");
        assertEquals("17/6", error(send(control(13, 1, 1, 2)).get(0)), "a reply type: OFPBFC_BAD_TYPE");
    }

    @Test
    void onfBundlesInOpenFlow13() throws Exception {
        connect(OfWire.OF13);
        List<byte[]> r = send(control(10, 1, 0, 2));
        assertEquals("04040018" + "0000000a" + "4f4e4600" + "000008fc" + "00000001" + "0001" + "0000", hex(r.get(0)));
        r = send(control(11, 2, 2, 2));
        assertEquals("2302@4f4e4600", error(r.get(0)), "ONF's OFPBFC_BAD_ID");
        assertArrayEquals(control(11, 2, 2, 2), quoted(r.get(0), 16));
        send(add(1, 2, flowAdd(12, 0, 5, 100, false)));
        assertEquals(0, flows());
        r = send(control(13, 1, 4, 2));
        assertEquals(5, controlType(r.get(0)), "COMMIT_REPLY");
        assertEquals(1, flows());
    }

    @Test
    void commitIsAllOrNothing() throws Exception {
        connect(OfWire.OF14);
        send(control(1, 0, 0, ATOMIC_ORDERED));
        byte[] first = add(0, ATOMIC_ORDERED, flowAdd(2, 0, 5, 100, false));
        byte[] second = add(0, ATOMIC_ORDERED, flowAdd(3, 1, 5, 100, false));
        byte[] overlapping = add(0, ATOMIC_ORDERED, flowAdd(4, 0, 5, 100, true));
        assertTrue(send(first, second).isEmpty(), "adds have no reply");
        assertEquals(0, flows(), "nothing happens before the commit");
        // Not the same match: it overlaps the first flow, which is only there inside the bundle.
        byte[] wider = add(0, ATOMIC_ORDERED, StatsReplies.bytes(f.buildFlowAdd().setXid(4).setPriority(100)
                .setFlags(java.util.EnumSet.of(OFFlowModFlags.CHECK_OVERLAP)).build()));
        assertTrue(send(wider).isEmpty());
        List<byte[]> r = send(control(5, 0, 4, ATOMIC_ORDERED));
        assertEquals(2, r.size());
        assertEquals("5/3", error(r.get(0)), "the failing flow mod's OFPFMFC_OVERLAP");
        assertEquals(4, OfWire.xid(r.get(0)));
        assertArrayEquals(wider, quoted(r.get(0), 12), "quoting its whole BUNDLE_ADD_MESSAGE");
        assertEquals("17/13", error(r.get(1)), "then OFPBFC_MSG_FAILED for the commit");
        assertEquals(5, OfWire.xid(r.get(1)));
        assertEquals(0, flows(), "the flows before it were taken back");
        assertEquals("17/2", error(send(control(6, 0, 4, ATOMIC_ORDERED)).get(0)), "the bundle is gone");

        send(control(7, 0, 0, ATOMIC_ORDERED));
        send(first, second, overlapping);
        r = send(control(8, 0, 4, ATOMIC_ORDERED));
        assertEquals(5, controlType(r.get(0)), "COMMIT_REPLY");
        assertEquals(2, flows(), "the identical flow replaced the first one");
    }

    @Test
    void addErrorsComeAtOnceAndLeaveTheBundle() throws Exception {
        connect(OfWire.OF14);
        send(control(1, 0, 0, ATOMIC_ORDERED));
        byte[] inner = flowAdd(2, 0, 5, 100, false);
        byte[] otherXid = add(0, ATOMIC_ORDERED, inner);
        otherXid[7] = 9;
        assertEquals("17/9", error(send(otherXid).get(0)), "OFPBFC_MSG_BAD_XID");
        byte[] otherVersion = add(0, ATOMIC_ORDERED, inner);
        otherVersion[16] = OfWire.OF13;
        assertEquals("22@2320", error(send(otherVersion).get(0)), "Nicira's OFPBFC_BAD_VERSION");
        byte[] echo = OfWire.finish(header(OfWire.OFPT_ECHO_REQUEST, 3, 8));
        assertEquals("17/10", error(send(add(0, ATOMIC_ORDERED, echo)).get(0)), "OFPBFC_MSG_UNSUP");
        byte[] readOnly = add(0, ATOMIC_ORDERED, flowAdd(4, FlowTables.READ_ONLY_TABLE, 5, 100, false));
        List<byte[]> r = send(readOnly);
        assertEquals("1/5", error(r.get(0)), "OFPBRC_EPERM, when the flow mod is added");
        assertArrayEquals(readOnly, quoted(r.get(0), 12));
        byte[] truncated = Arrays.copyOf(add(0, ATOMIC_ORDERED, inner), 20);
        truncated[3] = 20;
        assertEquals("17/8", error(send(truncated).get(0)), "OFPBFC_MSG_BAD_LEN");
        send(add(0, ATOMIC_ORDERED, inner));
        assertEquals(5, controlType(send(control(5, 0, 4, ATOMIC_ORDERED)).get(0)), "the bundle survived, and commits");
        assertEquals(1, flows());
    }

    @Test
    void portModsAreNotAtomic() throws Exception {
        connect(OfWire.OF14);
        byte[] atomic = add(0, ATOMIC_ORDERED, portDown(2));
        send(atomic);
        List<byte[]> r = send(control(3, 0, 4, ATOMIC_ORDERED));
        assertEquals("17/13", error(r.get(0)));
        assertArrayEquals(atomic, quoted(r.get(0), 12));
        assertEquals("17/13", error(r.get(1)));
        assertTrue(adminChanges.isEmpty());

        send(add(1, 2, portDown(4)));
        assertEquals(5, controlType(send(control(5, 1, 4, 2)).get(0)));
        assertEquals(List.of("1 down"), adminChanges);
    }

    @Test
    void idleBundlesTimeOut() throws Exception {
        connect(OfWire.OF14);
        byte[] open = control(1, 1, 0, ATOMIC_ORDERED);
        send(open);
        now += 8000;
        send(add(1, ATOMIC_ORDERED, flowAdd(2, 0, 5, 100, false)));
        now += 8000;
        assertTrue(send().isEmpty(), "used 8 s ago: alive");
        now += 3000;
        List<byte[]> r = send();
        assertEquals("17/14", error(r.get(0)), "OFPBFC_TIMEOUT");
        assertArrayEquals(open, quoted(r.get(0), 12), "quoting the message that made the bundle");
        assertEquals("17/2", error(send(control(3, 1, 4, ATOMIC_ORDERED)).get(0)));

        ofproto.setBundleIdleTimeout(4000);
        send(control(4, 2, 0, ATOMIC_ORDERED));
        now += 5000;
        assertEquals("17/14", error(send().get(0)), "the configured timeout");
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
