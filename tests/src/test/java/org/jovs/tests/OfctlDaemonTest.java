package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenFlow on our daemon, driven by the real /usr/bin/ovs-ofctl through $OVS_RUNDIR/br0.mgmt,
 * plain (OpenFlow 1.0 + Nicira extensions) and -O OpenFlow13; malformed messages written on a raw
 * socket; and a controller connection. No ovs-testcontroller is installed here, so the
 * controller is a small OpenFlow listener in this test (a unix: target), which is enough to see
 * the daemon connect, negotiate, send PACKET_IN, and reconnect.
 *
 * <p>The bridge is on the dummy datapath (--enable-dummy, dummy ports), OVS's own test device:
 * OpenFlow needs no kernel device, so the daemon runs without a network namespace or root.
 */
class OfctlDaemonTest {
    private static final String OFCTL = "/usr/bin/ovs-ofctl";

    private DaemonHarness h;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        h = DaemonHarness.withoutNetns();
        file = h.dir().resolve("switch.json");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void start(String controllers) throws Exception {
        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"datapath_type\": \"dummy\"" + controllers
                + ", \"ports\": ["
                + "{\"name\": \"p1\", \"interfaces\": [{\"name\": \"p1\", \"type\": \"dummy\", \"ofport_request\": 1}]},"
                + "{\"name\": \"p2\", \"interfaces\": [{\"name\": \"p2\", \"type\": \"dummy\", \"ofport_request\": 2}]}]}]}");
        Result r = h.startDetached("--enable-dummy", "--config=" + file);
        assertEquals(0, r.status, r.toString());
    }

    private String ofctl(String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = OFCTL;
        System.arraycopy(args, 0, argv, 1, args.length);
        Result r = h.runInNetns(30, argv);
        assertEquals(0, r.status, String.join(" ", args) + ": " + r);
        return r.stdout;
    }

    /**
     * dump-flows without the reply header, with durations and ages blanked, and without hard_age,
     * which ovs-ofctl prints only when a flow's last modification and its creation fall in
     * different seconds (as with real OVS, a matter of timing).
     */
    private String flows(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "dump-flows";
        all[args.length + 1] = "br0";
        return ofctl(all).replaceAll("(?m)^[^ ].*\n", "").replaceAll("duration=[0-9.]+s", "duration=X")
                .replaceAll("idle_age=[0-9]+", "idle_age=X").replaceAll("hard_age=[0-9]+, ", "");
    }

    @Test
    void showAndTheDefaultNormalFlow() throws Exception {
        start("");
        String show = ofctl("show", "br0");
        assertTrue(show.contains("n_tables:254, n_buffers:0"), show);
        assertTrue(show.contains(" 1(p1): addr:"), show);
        assertTrue(show.contains(" LOCAL(br0): addr:"), show);
        assertTrue(show.contains("OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0"), show);
        assertEquals(" cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, idle_age=X, priority=0 actions=NORMAL\n",
                flows());
        assertEquals(" cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, priority=0 actions=NORMAL\n",
                flows("-O", "OpenFlow13"));
        String show13 = ofctl("-O", "OpenFlow13", "show", "br0");
        assertTrue(show13.contains("OFPST_PORT_DESC reply (OF1.3)") && show13.contains(" 2(p2): addr:"), show13);
        assertEquals("br0\n", h.appctl("ofproto/list").stdout);
        assertEquals("priority=0,actions=NORMAL\n", h.appctl("bridge/dump-flows", "br0").stdout
                .replaceAll("duration=\\d+s, n_packets=0, n_bytes=0, ", ""));
    }

    @Test
    void addModifyDeleteFlows() throws Exception {
        start("");
        ofctl("del-flows", "br0");
        assertEquals("", flows());
        ofctl("add-flow", "br0", "in_port=1,actions=output:2");
        ofctl("add-flow", "br0", "priority=100,ip,nw_dst=10.0.0.1,actions=mod_nw_dst:10.0.0.2,output:2");
        Path flowFile = h.dir().resolve("flows.txt");
        Files.writeString(flowFile, "table=0,in_port=2,actions=output:1\ntable=3,cookie=0x5,udp,tp_dst=53,actions=drop\n");
        ofctl("add-flows", "br0", flowFile.toString());
        // --sort prints highest priority first and without idle_age.
        assertEquals(" cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.0.0.1"
                + " actions=mod_nw_dst:10.0.0.2,output:2\n"
                + " cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, in_port=1 actions=output:2\n"
                + " cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, in_port=2 actions=output:1\n"
                + " cookie=0x5, duration=X, table=3, n_packets=0, n_bytes=0, udp,tp_dst=53 actions=drop\n",
                flows("--sort"));
        assertTrue(flows("-O", "OpenFlow13", "--sort").contains("actions=set_field:10.0.0.2->ip_dst,output:2"));
        assertTrue(ofctl("dump-aggregate", "br0").contains("flow_count=4"));

        ofctl("mod-flows", "br0", "in_port=1,actions=output:LOCAL");
        assertTrue(flows().contains("in_port=1 actions=LOCAL"));
        // Strict delete needs the exact match and priority; a loose one takes what is within.
        ofctl("--strict", "del-flows", "br0", "ip,nw_dst=10.0.0.1");
        assertTrue(flows().contains("nw_dst=10.0.0.1"));
        ofctl("--strict", "del-flows", "br0", "priority=100,ip,nw_dst=10.0.0.1");
        assertFalse(flows().contains("nw_dst=10.0.0.1"));
        ofctl("del-flows", "br0", "cookie=0x5/-1");
        assertFalse(flows().contains("table=3"));
        ofctl("-O", "OpenFlow13", "del-flows", "br0", "in_port=2");
        assertEquals(" cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, idle_age=X, in_port=1 actions=LOCAL\n",
                flows());
        assertTrue(ofctl("dump-aggregate", "br0").contains("flow_count=1"));
    }

    /** Nicira resubmit actions in OF1.0 flow mods, dumped as OVS prints them (checked against OVS 3.1). */
    @Test
    void resubmitActions() throws Exception {
        start("");
        ofctl("del-flows", "br0");
        ofctl("add-flow", "br0", "in_port=1,actions=resubmit(,1)");
        ofctl("add-flow", "br0", "in_port=2,actions=resubmit:1,output:1,resubmit(1,2)");
        ofctl("-O", "OpenFlow13", "add-flow", "br0", "table=2,priority=9,ipv6,actions=goto_table:3");
        // Over OF1.0 a goto_table is a resubmit to that table.
        assertEquals(" cookie=0x0, duration=X, table=2, n_packets=0, n_bytes=0, priority=9,ipv6 actions=resubmit(,3)\n"
                + " cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, in_port=1 actions=resubmit(,1)\n"
                + " cookie=0x0, duration=X, table=0, n_packets=0, n_bytes=0, in_port=2"
                + " actions=resubmit:1,output:1,resubmit(1,2)\n",
                flows("--sort"));
        assertTrue(h.appctl("bridge/dump-flows", "br0").stdout.contains(", in_port=2,actions=resubmit:1,output:1,resubmit(1,2)\n"));
    }

    @Test
    void portsTablesAndConfig() throws Exception {
        start("");
        assertTrue(ofctl("dump-ports", "br0").contains("3 ports"));
        assertTrue(ofctl("-O", "OpenFlow13", "dump-ports", "br0", "1").contains("port  1: rx pkts="));
        assertTrue(ofctl("dump-ports-desc", "br0").contains(" 2(p2): addr:"));
        assertTrue(ofctl("dump-tables", "br0").contains("  table 0:\n    active=1, lookup="));
        assertTrue(ofctl("-O", "OpenFlow13", "dump-tables", "br0").contains("table 0:"));
        assertTrue(ofctl("dump-desc", "br0").contains("Manufacturer: Nicira, Inc."));
        ofctl("probe", "br0");
        assertTrue(ofctl("ping", "br0", "32").contains("32 bytes from br0"));
        assertEquals("normal\n", ofctl("get-frags", "br0"));
        ofctl("set-frags", "br0", "drop");
        assertEquals("drop\n", ofctl("get-frags", "br0"));

        ofctl("mod-port", "br0", "p1", "down");
        assertTrue(ofctl("show", "br0").matches("(?s).* 1\\(p1\\): addr:[^\n]*\n     config:     PORT_DOWN.*"));
        ofctl("mod-port", "br0", "p1", "up");
        assertTrue(ofctl("show", "br0").matches("(?s).* 1\\(p1\\): addr:[^\n]*\n     config:     0\n.*"));
    }

    /** How long a raw-socket test waits for the daemon's answer before it fails. */
    private static final long REPLY_TIMEOUT_MS = 5000;

    /**
     * One message written raw to an OpenFlow connection (after HELLO); returns the first reply
     * that is not a HELLO. Fails within {@link #REPLY_TIMEOUT_MS} if none comes, and with
     * "closed" if the peer closes the connection.
     */
    private static byte[] exchange(SocketChannel ch, byte[] msg) throws IOException {
        ch.configureBlocking(false);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            long deadline = System.currentTimeMillis() + REPLY_TIMEOUT_MS;
            ByteBuffer out = ByteBuffer.wrap(msg);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            while (true) {
                ByteBuffer hdr = ByteBuffer.allocate(8);
                readFully(ch, sel, hdr, deadline);
                int len = hdr.getShort(2) & 0xffff;
                ByteBuffer body = ByteBuffer.allocate(len);
                body.put(hdr.array());
                readFully(ch, sel, body, deadline);
                if (body.get(1) != 0) {
                    return body.array();
                }
            }
        }
    }

    private static void readFully(SocketChannel ch, Selector sel, ByteBuffer buf, long deadline) throws IOException {
        while (buf.hasRemaining()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("no reply within " + REPLY_TIMEOUT_MS + " ms");
            }
            sel.select(left);
            sel.selectedKeys().clear();
            if (ch.read(buf) < 0) {
                throw new IOException("closed");
            }
        }
    }

    @Test
    @Timeout(60)
    void malformedMessagesGetOvsErrors() throws Exception {
        start("");
        // {hex message after a v1 HELLO, expected error type, expected code}
        String[][] table = {
            {"0105000c00000001" + "00000000", "1", "6"},            // FEATURES_REQUEST with a body: BAD_LEN
            {"0163000800000002", "1", "1"},                        // unknown message type: BAD_TYPE
            {"01040010000000030000123400000001", "1", "3"},        // unknown vendor: BAD_VENDOR
            {"010400100000000400002320000003e7", "1", "4"},        // unknown Nicira subtype: BAD_SUBTYPE
            {"010400140000000500002320" + "0000000c00000007", "1", "5"}, // bad flow format: EPERM
            {"0110000c00000006" + "00630000", "1", "2"},           // unknown stats type: BAD_STAT
            {"0110001800000007ffff000000001234" + "0000000000000000", "1", "3"}, // vendor stats, bad vendor
            {"0110001800000008ffff000000002320" + "0000006300000000", "1", "4"}, // NXST subtype 99
            {"0112000c00000009" + "00000000", "1", "6"},           // BARRIER_REQUEST with a body: BAD_LEN
            {"0109000800000010", "1", "6"},                        // SET_CONFIG without body: BAD_LEN
            {"0407000800000011", "1", "0"},                        // OF1.3 header on an OF1.0 connection
            {"010400110000001200002320" + "0000000f00", "1", "6"}, // NXT_FLOW_MOD_TABLE_ID too short
            {"010f002000000013" + "0063" + "aabbccddeeff" + "00000000000000010000000000000000", "4", "0"}, // PORT_MOD bad port
            // FLOW_MOD add with an unknown action type 0x0033.
            // (match 40 bytes, cookie, command, timeouts, priority 0x8000, no buffer, out_port NONE, flags)
            {"010e005000000014" + "00".repeat(40) + "0000000000000000" + "0000" + "00000000" + "8000"
                + "ffffffff" + "ffff" + "0000" + "0033000800000000", "2", "0"},
            // PACKET_OUT to a buffer that does not exist.
            {"010d001800000015" + "00000005fffe0008" + "0000000800010000", "1", "8"},
            // NXT_FLOW_MOD with a match field of an unknown class.
            {"0104004000000016000023200000000d" + "0000000000000000" + "0000000000000000" + "ffffffffffff0000"
                + "000600000000000077770202000100000000000000000000", "1", "4"},
        };
        Path mgmt = h.dir().resolve("br0.mgmt");
        for (String[] row : table) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(mgmt));
                byte[] msg = HexFormat.of().parseHex(row[0]);
                byte[] hello = HexFormat.of().parseHex("0100000800000000");
                ch.write(ByteBuffer.wrap(hello));
                byte[] reply = exchange(ch, msg);
                ByteBuffer r = ByteBuffer.wrap(reply);
                assertEquals(1, r.get(1), row[0] + ": not an error: " + HexFormat.of().formatHex(reply));
                assertEquals(Integer.parseInt(row[1]) + "/" + Integer.parseInt(row[2]),
                        (r.getShort(8) & 0xffff) + "/" + (r.getShort(10) & 0xffff), row[0]);
                assertEquals(r.getInt(4), ByteBuffer.wrap(msg).getInt(4), "xid");
                assertEquals(msg.length, reply.length - 12, "error data is the whole request, as OVS sends it");
                // The connection survives: an echo still gets its reply.
                byte[] echo = exchange(ch, HexFormat.of().parseHex("0102000800000777"));
                assertEquals(3, echo[1]);
            }
            assertTrue(ofctl("show", "br0").contains("LOCAL(br0)"));
        }
        // A length field below the 8-byte header cannot be framed: OVS's vconn drops the connection.
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(mgmt));
            ch.write(ByteBuffer.wrap(HexFormat.of().parseHex("0100000800000000")));
            IOException closed = assertThrows(IOException.class,
                    () -> exchange(ch, HexFormat.of().parseHex("0102000400000023")));
            assertEquals("closed", closed.getMessage());
        }
        assertTrue(ofctl("show", "br0").contains("LOCAL(br0)"));
    }

    @Test
    @Timeout(60)
    void controllerConnectsGetsPacketInAndReconnects() throws Exception {
        Path sock = h.dir().resolve("ctl.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        try {
            start(", \"controller\": [{\"target\": \"unix:" + sock + "\", \"max_backoff\": 1000}]");
            // A controller means no NORMAL flow, as OVS.
            try (SocketChannel c = server.accept()) {
                c.write(ByteBuffer.wrap(HexFormat.of().parseHex("0100000800000001")));
                byte[] features = exchange(c, HexFormat.of().parseHex("0105000800000002"));
                assertEquals(6, features[1]);
                assertEquals("", flows());
                ofctl("packet-out", "br0", "LOCAL", "CONTROLLER,output:1",
                        "ffffffffffff0000000000010800450000140000000040017c0ac0a80001c0a80002");
                byte[] pin;
                do {
                    pin = exchange(c, HexFormat.of().parseHex("0102000800000003"));
                } while (pin[1] != 10);
                ByteBuffer p = ByteBuffer.wrap(pin);
                assertEquals(0xfffe, p.getShort(14) & 0xffff, "in_port LOCAL");
                assertEquals(1, p.get(16), "reason action");
                assertEquals("ffffffffffff000000000001", HexFormat.of().formatHex(pin, 18, 30));
            }
            // Closed: the switch reconnects within max_backoff.
            try (SocketChannel c = server.accept()) {
                c.write(ByteBuffer.wrap(HexFormat.of().parseHex("0100000800000001")));
                assertEquals(3, exchange(c, HexFormat.of().parseHex("0102000800000009"))[1]);
            }
        } finally {
            server.close();
            Files.deleteIfExists(sock);
        }
    }
}
