package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dummy datapath and netdev-dummy, OVS's own test devices, on our daemon with
 * --enable-dummy: ports numbered by their names, frames injected with netdev-dummy/receive (hex
 * or a datapath flow) forwarded by OpenFlow flows and written to the output port's tx_pcap, the
 * netdev-dummy/* commands and their errors, dpctl/del-if and the port coming back at the next
 * reconfiguration. No kernel device is made, so no network namespace or root is needed.
 */
class DummyDatapathDaemonTest {
    private static final String OFCTL = "/usr/bin/ovs-ofctl";
    private static final String DPIF_SHOW = "dummy@ovs-dummy: hit:0 missed:%d\n  br0:\n"
            + "    br0 65534/100: (dummy-internal)\n%s";

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

    private void writeConfig(String ports) throws Exception {
        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"datapath_type\": \"dummy\", \"fail_mode\": \"secure\","
                + " \"ports\": [" + ports + "]}]}");
    }

    private static String port(String name, int ofport, String extra) {
        return "{\"name\": \"" + name + "\", \"type\": \"dummy\", \"ofport_request\": " + ofport + extra + "}";
    }

    private Result ok(String... args) throws Exception {
        Result r = h.appctl(args);
        assertEquals(0, r.status, String.join(" ", args) + ": " + r);
        return r;
    }

    private void ofctl(String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = OFCTL;
        System.arraycopy(args, 0, argv, 1, args.length);
        Result r = h.run(30, argv);
        assertEquals(0, r.status, r.toString());
    }

    /** The frames of pcap file 'p', after its 24-byte header. */
    private static List<byte[]> pcapFrames(Path p) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.nativeOrder());
        assertEquals(0xa1b2c3d4, b.getInt(0));
        List<byte[]> out = new ArrayList<>();
        for (int at = 24; at < b.limit(); ) {
            int len = b.getInt(at + 8);
            out.add(Arrays.copyOfRange(b.array(), at + 16, at + 16 + len));
            at += 16 + len;
        }
        return out;
    }

    @Test
    @Timeout(120)
    void injectedFramesFollowTheFlowsToTheOutputPortsPcap() throws Exception {
        Path tx = h.dir().resolve("p2-tx.pcap");
        writeConfig(port("p1", 1, "") + ", " + port("p2", 2, ", \"options\": {\"tx_pcap\": \"" + tx + "\"}"));
        assertEquals(0, h.startDetached("--enable-dummy", "--config=" + file).status);
        assertEquals(String.format(DPIF_SHOW, 0, "    p1 1/1: (dummy)\n    p2 2/2: (dummy)\n"),
                ok("dpif/show").stdout);
        ofctl("add-flow", "br0", "in_port=1,actions=output:2");

        byte[] hex = HexFormat.of().parseHex("505400000007505400000005080045000014000000004001f9c0c0a80001c0a80002");
        ok("netdev-dummy/receive", "p1", HexFormat.of().formatHex(hex));
        ok("netdev-dummy/receive", "p1", "eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07),eth_type(0x0800),"
                + "ipv4(src=192.168.0.1,dst=192.168.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=8,dst=9)", "--len", "128");
        // A frame from p2 has no flow: dropped in fail mode secure.
        ok("netdev-dummy/receive", "p2", HexFormat.of().formatHex(hex));
        long deadline = System.currentTimeMillis() + 10_000;
        while ((!Files.exists(tx) || pcapFrames(tx).size() < 2) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        List<byte[]> frames = pcapFrames(tx);
        assertEquals(2, frames.size());
        assertArrayEquals(hex, frames.get(0));
        assertEquals(128, frames.get(1).length);
        assertEquals(0x0800, ((frames.get(1)[12] & 0xff) << 8) | (frames.get(1)[13] & 0xff));

        Result noDev = h.appctl("netdev-dummy/receive", "p9", "00");
        assertEquals("no such dummy netdev\novs-appctl: ovs-vswitchd: server returned an error\n", noDev.stderr);
        Result shortLen = h.appctl("netdev-dummy/receive", "p1", "eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07)",
                "--len", "10");
        assertTrue(shortLen.stderr.startsWith("too small packet len\n"), shortLen.toString());
        Result admin = h.appctl("netdev-dummy/set-admin-state", "p1", "sideways");
        assertTrue(admin.stderr.startsWith("Invalid Admin State\n"), admin.toString());
        assertEquals("OK\n", ok("netdev-dummy/set-admin-state", "p1", "down").stdout);
        assertEquals("p1: unknown\n", ok("netdev-dummy/conn-state", "p1").stdout);
    }

    @Test
    @Timeout(120)
    void aPortDeletedFromTheDatapathComesBackAtTheNextReconfiguration() throws Exception {
        writeConfig(port("p1", 1, "") + ", " + port("p2", 2, ""));
        assertEquals(0, h.startDetached("--enable-dummy", "--config=" + file).status);
        ok("dpctl/del-if", "dummy@ovs-dummy", "p1");
        assertEquals(String.format(DPIF_SHOW, 0, "    p2 2/2: (dummy)\n"), ok("dpif/show").stdout);
        Result missing = h.appctl("dpctl/del-if", "dummy@ovs-dummy", "p7");
        assertTrue(missing.stderr.startsWith("no port named p7\n"), missing.toString());

        writeConfig(port("p1", 1, ""));
        ok("config/reload");
        assertEquals(String.format(DPIF_SHOW, 0, "    p1 1/1: (dummy)\n"), ok("dpif/show").stdout);
    }
}
