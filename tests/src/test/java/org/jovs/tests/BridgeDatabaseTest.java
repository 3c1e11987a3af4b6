package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jovs.core.json.Json;
import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon against the real ovsdb-server, driven by the real ovs-vsctl without --no-wait (so
 * each command returns only once the daemon has applied it and written cur_cfg), in a private
 * run directory and network namespace: bridges and ports become devices, the Interface status
 * columns follow the kernel, and deletions leave nothing behind.
 */
class BridgeDatabaseTest {
    private DaemonHarness h;
    private OvsdbServer db;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        db = OvsdbServer.start(h);
        Result r = h.startDetached(db.remote());
        assertEquals(0, r.status, r.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** The device 'name' in the daemon's namespace as `ip -d -j link` shows it, or null. */
    static Map<?, ?> link(DaemonHarness h, String name) throws Exception {
        Result r = h.run(10, "ip", "-n", h.netns(), "-d", "-j", "link", "show", "dev", name);
        if (r.status != 0) {
            return null;
        }
        return (Map<?, ?>) ((List<?>) Json.parse(r.stdout)).get(0);
    }

    /** The names of every device in the daemon's namespace. */
    static Set<String> links(DaemonHarness h) throws Exception {
        Result r = h.run(10, "ip", "-n", h.netns(), "-j", "link", "show");
        assertEquals(0, r.status, r.toString());
        Set<String> names = new TreeSet<>();
        for (Object o : (List<?>) Json.parse(r.stdout)) {
            names.add((String) ((Map<?, ?>) o).get("ifname"));
        }
        return names;
    }

    private String iface(String name, String column) throws Exception {
        return db.vsctlOk("get", "interface", name, column);
    }

    @Test
    void addBridgeReturnsWithDatapathIdAndTapDevice() throws Exception {
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        String dpid = db.vsctlOk("get", "bridge", "br0", "datapath_id");
        assertTrue(dpid.matches("\"[0-9a-f]{16}\""), dpid);

        Map<?, ?> br0 = link(h, "br0");
        assertNotNull(br0, "no br0 device");
        assertEquals("tun", ((Map<?, ?>) br0.get("linkinfo")).get("info_kind"));
        // With no other port, the datapath ID is the bridge's own address.
        assertEquals(dpid.replace("\"", "").substring(4), ((String) br0.get("address")).replace(":", ""));
        assertEquals("65534", iface("br0", "ofport"));
        assertEquals("\"" + br0.get("address") + "\"", iface("br0", "mac_in_use"));
        assertEquals("<built-in>", db.vsctlOk("get", "bridge", "br0", "datapath_version").replace("\"", ""));
        assertEquals(db.vsctlOk("get", "open_vswitch", ".", "next_cfg"), db.vsctlOk("get", "open_vswitch", ".", "cur_cfg"));

        Result show = h.appctl("dpif/show");
        assertEquals("netdev@ovs-netdev: hit:0 missed:0\n  br0:\n    br0 65534/1: (tap)\n", show.stdout);
        Result fdb = h.appctl("fdb/show", "br0");
        assertEquals(" port  VLAN  MAC                Age\n", fdb.stdout);
        Result nofdb = h.appctl("fdb/show", "nobr");
        assertEquals(2, nofdb.status);
        assertTrue(nofdb.stderr.startsWith("no such bridge\n"), nofdb.stderr);
        assertEquals(0, h.appctl("bridge/reconnect", "br0").status);
        Result norec = h.appctl("bridge/reconnect", "nobr");
        assertTrue(norec.stderr.startsWith("Unknown bridge\n"), norec.stderr);
    }

    @Test
    void portsGetNumbersAddressesAndFollowLinkState() throws Exception {
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        assertEquals(0, h.runInNetns(10, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v0p").status);
        db.vsctlOk("add-port", "br0", "v0");
        db.vsctlOk("add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal", "ofport_request=5");

        assertEquals("1", iface("v0", "ofport"));
        assertEquals("5", iface("p1", "ofport"));
        for (String name : new String[] {"v0", "p1"}) {
            Map<?, ?> dev = link(h, name);
            assertNotNull(dev, name);
            assertEquals("\"" + dev.get("address") + "\"", iface(name, "mac_in_use"), name);
            assertEquals(String.valueOf(dev.get("ifindex")), iface(name, "ifindex"), name);
            assertEquals("down", iface(name, "link_state"), name);
            assertEquals("down", iface(name, "admin_state"), name);
            assertEquals("1500", iface(name, "mtu"), name);
            assertEquals("[]", iface(name, "error"), name);
        }
        assertEquals("{driver_name=veth, driver_version=\"1.0\", firmware_version=\"\"}", iface("v0", "status"));
        assertTrue(iface("p1", "statistics").startsWith("{collisions=0, rx_bytes=0,"), iface("p1", "statistics"));

        assertEquals(0, h.runInNetns(10, "ip", "link", "set", "v0p", "up").status);
        assertEquals(0, h.runInNetns(10, "ip", "link", "set", "v0", "up").status);
        awaitColumn("v0", "link_state", "up", 2000);
        assertEquals("up", iface("v0", "admin_state"));
        // The acceptance bound: a peer going down shows within 1 s.
        long start = System.currentTimeMillis();
        assertEquals(0, h.runInNetns(10, "ip", "link", "set", "v0p", "down").status);
        awaitColumn("v0", "link_state", "down", 1000);
        assertTrue(System.currentTimeMillis() - start < 1500);

        // v0 came up: the frames its peer sent (IPv6 neighbour discovery) went through the datapath.
        assertTrue(h.appctl("dpif/show").stdout.matches("netdev@ovs-netdev: hit:0 missed:\\d+\n  br0:\n"
                + "    br0 65534/1: \\(tap\\)\n    p1 5/3: \\(tap\\)\n    v0 1/2: \\(system\\)\n"));
    }

    @Test
    void portThatCannotOpenGetsErrorWithoutDisturbingOthers() throws Exception {
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        Result r = db.vsctl("add-port", "br0", "nonexist", "--", "add-port", "br0", "good", "--",
                "set", "interface", "good", "type=internal", "--", "add-port", "br0", "bad", "--",
                "set", "interface", "bad", "type=foo");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.stderr.contains("Error detected while setting up 'nonexist': could not open network device"
                + " nonexist (No such device)."), r.stderr);
        assertTrue(r.stderr.contains("Error detected while setting up 'bad': could not open network device bad"
                + " (Address family not supported by protocol)."), r.stderr);
        assertEquals("-1", iface("nonexist", "ofport"));
        assertEquals("\"could not open network device nonexist (No such device)\"", iface("nonexist", "error"));
        assertEquals("[]", iface("good", "error"));
        assertNotNull(link(h, "good"));

        // The device appearing later is picked up, as OVS retries when devices come and go.
        assertEquals(0, h.runInNetns(10, "ip", "link", "add", "nonexist", "type", "veth", "peer", "name", "nx-peer").status);
        long deadline = System.currentTimeMillis() + 3000;
        while (iface("nonexist", "ofport").equals("-1") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("[]", iface("nonexist", "error"));
        assertFalse(iface("nonexist", "ofport").equals("-1"));
    }

    @Test
    void delPortAndDelBridgeLeaveNoDevices() throws Exception {
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        assertEquals(0, h.runInNetns(10, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v0p").status);
        db.vsctlOk("add-port", "br0", "v0", "--", "add-port", "br0", "p1", "--", "set", "interface", "p1",
                "type=internal", "--", "add-port", "br0", "t1", "--", "set", "interface", "t1", "type=tap");
        assertEquals(Set.of("lo", "ovs-netdev", "br0", "v0", "v0p", "p1", "t1"), links(h));

        db.vsctlOk("del-port", "br0", "p1");
        assertEquals(Set.of("lo", "ovs-netdev", "br0", "v0", "v0p", "t1"), links(h));
        db.vsctlOk("del-br", "br0");
        // The veth pair is the test's own; every device the daemon made is gone.
        assertEquals(Set.of("lo", "v0", "v0p"), links(h));
        assertEquals("", h.appctl("dpif/show").stdout);
    }

    private void awaitColumn(String name, String column, String want, long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        String got = iface(name, column);
        while (!got.equals(want) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            got = iface(name, column);
        }
        assertEquals(want, got, name + " " + column + " after " + ms + " ms");
    }
}
