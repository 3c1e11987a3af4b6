package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames through our daemon's userspace datapath: client namespaces on veth pairs whose other ends
 * are system ports of br0 (standalone, so every frame takes the NORMAL path), pinging each other
 * and the bridge's own port; the MAC table through fdb/show, fdb/flush and fdb/stats-show; access
 * and trunk VLANs; a port removed while traffic flows. Needs ping (iputils-ping), ethtool and
 * python3 (for frames in a VLAN where the kernel has no 8021q module).
 */
class ForwardingDaemonTest {
    private static final String FDB_HEADER = " port  VLAN  MAC                Age\n";

    private DaemonHarness h;
    private VethClients clients;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        clients = new VethClients(h);
        file = h.dir().resolve("switch.json");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            clients.close();
        } finally {
            h.close();
        }
    }

    /** br0 with one system port per entry of 'ports' (JSON members after the name). */
    private void writeConfig(String... ports) throws Exception {
        writeConfigWith("", ports);
    }

    /** The same, with more members of br0 (JSON, each followed by a comma). */
    private void writeConfigWith(String bridgeMembers, String... ports) throws Exception {
        StringBuilder sb = new StringBuilder("{\"bridges\": [{\"name\": \"br0\", " + bridgeMembers + "\"ports\": [");
        for (int i = 0; i < ports.length; i++) {
            sb.append(i > 0 ? ", " : "").append(ports[i]);
        }
        Files.writeString(file, sb.append("]}]}").toString());
    }

    private String port(int i, String more) {
        return "{\"name\": \"" + clients.port(i) + "\", \"ofport_request\": " + i + more + "}";
    }

    private void start() throws Exception {
        Result r = h.startDetached("--config=" + file);
        assertEquals(0, r.status, r.toString());
    }

    private boolean pingFails(int i, String ip) throws Exception {
        return clients.exec(i, 20, "ping", "-c", "2", "-i", "0.2", "-W", "1", ip).status != 0;
    }

    @Test
    void clientsPingEachOtherAndTheBridgeAndTheTableLearns() throws Exception {
        clients.add(1, "10.0.0.1/24");
        clients.add(2, "10.0.0.2/24");
        writeConfig(port(1, ""), port(2, ""));
        start();
        h.runInNetns(10, "sysctl", "-qw", "net.ipv6.conf.br0.disable_ipv6=1");
        assertEquals(0, h.runInNetns(10, "ip", "addr", "add", "10.0.0.254/24", "dev", "br0").status);
        assertEquals(0, h.runInNetns(10, "ip", "link", "set", "br0", "up").status);
        // As OVS's, the ports are promiscuous while they are ports.
        assertTrue(h.runInNetns(10, "ip", "link", "show", clients.port(1)).stdout.contains("PROMISC"));

        assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2");
        assertTrue(clients.ping(2, "10.0.0.1"), "2 -> 1");
        assertTrue(clients.ping(1, "10.0.0.254"), "1 -> br0");

        String fdb = h.appctl("fdb/show", "br0").stdout;
        assertTrue(fdb.startsWith(FDB_HEADER), fdb);
        String mac1 = clients.mac(1, "vc");
        String mac2 = clients.mac(2, "vc");
        assertTrue(fdb.matches("(?s).*\n    1     0  " + mac1 + "  +\\d+\n.*"), fdb);
        assertTrue(fdb.matches("(?s).*\n    2     0  " + mac2 + "  +\\d+\n.*"), fdb);
        assertTrue(fdb.contains("LOCAL     0  "), fdb);

        String stats = h.appctl("fdb/stats-show", "br0").stdout;
        assertTrue(stats.startsWith("Statistics for bridge \"br0\":\n  Current/maximum MAC entries in the table: 3/8192\n"),
                stats);
        assertTrue(stats.contains("  Total number of learned MAC entries     : 3\n"), stats);
        assertEquals("statistics successfully cleared\n", h.appctl("fdb/stats-clear").stdout);
        assertTrue(h.appctl("fdb/stats-show", "br0").stdout.contains("learned MAC entries     : 0\n"));

        assertEquals("table successfully flushed\n", h.appctl("fdb/flush", "br0").stdout);
        assertEquals(FDB_HEADER, h.appctl("fdb/show", "br0").stdout);
        assertEquals("table successfully flushed\n", h.appctl("fdb/flush").stdout);
        for (String cmd : List.of("fdb/show", "fdb/flush", "fdb/stats-show", "fdb/stats-clear")) {
            Result r = h.appctl(cmd, "nosuchbr");
            assertEquals(2, r.status, cmd + ": " + r);
            assertEquals("no such bridge\novs-appctl: ovs-vswitchd: server returned an error\n", r.stderr, cmd);
        }

        // other_config:mac-table-size caps the table; a smaller cap evicts the oldest entries.
        assertTrue(clients.ping(1, "10.0.0.2"));
        writeConfigWith("\"other_config\": {\"mac-table-size\": \"1\", \"mac-aging-time\": \"60\"}, ", port(1, ""),
                port(2, ""));
        assertEquals(0, h.appctl("config/reload").status);
        assertTrue(h.appctl("fdb/stats-show", "br0").stdout.contains("in the table: 1/1\n"),
                h.appctl("fdb/stats-show", "br0").stdout);
        assertTrue(clients.ping(1, "10.0.0.2"), "forwarding with a table of one entry (flooding)");

        String dpif = h.appctl("dpif/show").stdout;
        assertTrue(dpif.matches("netdev@ovs-netdev: hit:0 missed:[1-9]\\d*\n(?s).*"), dpif);
        // Our own transmissions are not received again: a flood reaches each port once.
        long missed = Long.parseLong(dpif.replaceAll("(?s).*missed:(\\d+).*", "$1"));
        assertTrue(missed < 100, dpif);
    }

    @Test
    void accessPortsKeepVlansApartAndTrunksCarryTags() throws Exception {
        clients.add(1, "10.0.0.1/24");
        clients.add(2, "10.0.0.2/24");
        clients.add(3, "10.0.0.3/24");
        clients.add(4, null);
        writeConfig(port(1, ", \"tag\": 10"), port(2, ", \"tag\": 10"), port(3, ", \"tag\": 20"),
                port(4, ", \"trunks\": [10, 20]"));
        start();

        assertTrue(clients.ping(1, "10.0.0.2"), "10 <-> 10");
        assertTrue(pingFails(1, "10.0.0.3"), "10 -> 20");
        assertTrue(pingFails(3, "10.0.0.2"), "20 -> 10");
        // The trunk carries both VLANs tagged: a host on it asks in VLAN 10 and VLAN 20 and gets
        // tagged answers from the access ports of that VLAN only.
        assertEquals("reply vlan 10\n", vlanArp(10, "10.0.0.1").stdout);
        assertEquals("reply vlan 20\n", vlanArp(20, "10.0.0.3").stdout);
        assertEquals(1, vlanArp(20, "10.0.0.1").status, "10.0.0.1 is not in VLAN 20");
        assertEquals(1, vlanArp(30, "10.0.0.1").status, "VLAN 30 is not trunked");

        String fdb = h.appctl("fdb/show", "br0").stdout;
        assertTrue(fdb.matches("(?s).*\n    4    10  " + clients.mac(4, "vc") + "  +\\d+\n.*"), fdb);
        assertTrue(fdb.matches("(?s).*\n    4    20  " + clients.mac(4, "vc") + "  +\\d+\n.*"), fdb);
        assertTrue(fdb.matches("(?s).*\n    1    10  " + clients.mac(1, "vc") + "  +\\d+\n.*"), fdb);
        assertTrue(fdb.matches("(?s).*\n    3    20  " + clients.mac(3, "vc") + "  +\\d+\n.*"), fdb);
    }

    /** An ARP request for 'ip' in VLAN 'vid' from the trunk client 4. */
    private Result vlanArp(int vid, String ip) throws Exception {
        return clients.vlanArp(4, vid, "10.0.0.4", ip);
    }

    @Test
    void portRemovedWhileTrafficFlows() throws Exception {
        for (int i = 1; i <= 3; i++) {
            clients.add(i, "10.0.0." + i + "/24");
        }
        writeConfig(port(1, ""), port(2, ""), port(3, ""));
        start();
        assertTrue(clients.ping(1, "10.0.0.3"));
        // Flood port 3 with pings from client 1 while port 3 goes away.
        Process flood = h.builder("ip", "netns", "exec", clients.netns(1), "ping", "-f", "-w", "4", "10.0.0.3")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            writeConfig(port(1, ""), port(2, ""));
            assertEquals(0, h.appctl("config/reload").status);
            assertFalse(h.appctl("dpif/show").stdout.contains(clients.port(3)));
            assertFalse(h.runInNetns(10, "ip", "link", "show", clients.port(3)).stdout.contains("PROMISC"),
                    "promiscuous mode is undone with the port");
            assertTrue(clients.ping(1, "10.0.0.2"), "the others keep forwarding");
            assertTrue(clients.ping(2, "10.0.0.1"));
            assertTrue(pingFails(1, "10.0.0.3"));
        } finally {
            flood.destroy();
            flood.waitFor();
        }
        assertTrue(DaemonHarness.alive(h.pidFromFile()));
    }

    @Test
    void vlansSetWithOvsVsctlThroughTheDatabase() throws Exception {
        for (int i = 1; i <= 3; i++) {
            clients.add(i, "10.0.0." + i + "/24");
        }
        OvsdbServer db = OvsdbServer.start(h);
        assertEquals(0, h.startDetached(db.remote()).status);
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                "--", "add-port", "br0", clients.port(1), "tag=10",
                "--", "add-port", "br0", clients.port(2), "tag=10",
                "--", "add-port", "br0", clients.port(3), "tag=20",
                "--", "set", "interface", clients.port(3), "ofport_request=3");
        assertTrue(clients.ping(1, "10.0.0.2"));
        assertTrue(pingFails(1, "10.0.0.3"));
        assertTrue(pingFails(3, "10.0.0.1"));
        assertTrue(h.appctl("fdb/show", "br0").stdout.contains("    3    20  "));
        // Moving port 3 to VLAN 10 forgets what it learned in VLAN 20.
        db.vsctlOk("set", "port", clients.port(3), "tag=10");
        assertFalse(h.appctl("fdb/show", "br0").stdout.contains("   20  "));
        // The clients' failed ARP entries would hold the first pings back.
        clients.ok("ip", "-n", clients.netns(1), "neigh", "flush", "all");
        clients.ok("ip", "-n", clients.netns(3), "neigh", "flush", "all");
        assertTrue(clients.ping(1, "10.0.0.3"));
    }

    @Test
    void secureFailModeWithoutControllerDropsEverything() throws Exception {
        clients.add(1, "10.0.0.1/24");
        clients.add(2, "10.0.0.2/24");
        writeConfigWith("\"fail_mode\": \"secure\", ", port(1, ""), port(2, ""));
        start();
        assertTrue(pingFails(1, "10.0.0.2"));
        assertEquals(FDB_HEADER, h.appctl("fdb/show", "br0").stdout);
        writeConfig(port(1, ""), port(2, ""));
        assertEquals(0, h.appctl("config/reload").status);
        clients.ok("ip", "-n", clients.netns(1), "neigh", "flush", "all");
        assertTrue(clients.ping(1, "10.0.0.2"), "standalone again");
    }

    @Test
    void systemDeviceMadeAgainUnderItsNameForwardsAgain() throws Exception {
        clients.add(1, "10.0.0.1/24");
        clients.add(2, "10.0.0.2/24");
        writeConfig(port(1, ""), port(2, ""));
        start();
        assertTrue(clients.ping(1, "10.0.0.2"));
        clients.unplug(2);
        assertTrue(pingFails(1, "10.0.0.2"));
        clients.plug(2, "10.0.0.2/24");
        // Client 2 has a new address: client 1 must ask for it again.
        clients.ok("ip", "-n", clients.netns(1), "neigh", "flush", "all");
        assertTrue(clients.ping(1, "10.0.0.2"), "the port follows the new device");
        assertTrue(h.runInNetns(10, "ip", "link", "show", clients.port(2)).stdout.contains("PROMISC"));
    }
}
