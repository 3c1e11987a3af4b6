package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon without ovsdb-server: the built-in default configuration, a --config=FILE that
 * config/reload re-reads and applies as a difference, and a table of bad configurations, each of
 * which is reported naming its field while the good part keeps running.
 */
class ConfigFileDaemonTest {
    private static final String DEFAULT_DPIF = "netdev@ovs-netdev: hit:0 missed:0\n  br0:\n    br0 65534/1: (tap)\n";

    private DaemonHarness h;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        file = h.dir().resolve("switch.json");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void builtInDefaultWithoutDatabase() throws Exception {
        Result r = h.startDetached();
        assertEquals(0, r.status, r.toString());
        assertEquals(DEFAULT_DPIF, h.appctl("dpif/show").stdout);
        assertTrue(BridgeDatabaseTest.links(h).containsAll(List.of("br0", "ovs-netdev")));
        assertEquals(" port  VLAN  MAC                Age\n", h.appctl("fdb/show", "br0").stdout);
        Result reload = h.appctl("config/reload");
        assertEquals(0, reload.status, reload.toString());
        assertEquals(DEFAULT_DPIF, h.appctl("dpif/show").stdout);
    }

    @Test
    void reloadAddsAndRemovesPorts() throws Exception {
        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"ports\": [{\"name\": \"p1\", \"type\": \"internal\"}]}]}");
        Result r = h.startDetached("--config=" + file);
        assertEquals(0, r.status, r.toString());
        assertEquals(DEFAULT_DPIF + "    p1 1/2: (tap)\n", h.appctl("dpif/show").stdout);
        Object br0Index = BridgeDatabaseTest.link(h, "br0").get("ifindex");

        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"ports\": [{\"name\": \"p2\", \"interfaces\":"
                + " [{\"name\": \"p2\", \"type\": \"internal\", \"ofport_request\": 7}]}]}]}");
        Result reload = h.appctl("config/reload");
        assertEquals(0, reload.status, reload.toString());
        assertEquals(DEFAULT_DPIF + "    p2 7/2: (tap)\n", h.appctl("dpif/show").stdout);
        assertTrue(BridgeDatabaseTest.links(h).contains("p2"));
        assertFalse(BridgeDatabaseTest.links(h).contains("p1"));
        // Only the difference was applied: the bridge's own device is the same one.
        assertEquals(br0Index, BridgeDatabaseTest.link(h, "br0").get("ifindex"));

        // An interface moving to another port keeps its device and number; p1's number, freed
        // just now, is not reused.
        Object p2Index = BridgeDatabaseTest.link(h, "p2").get("ifindex");
        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"ports\": [{\"name\": \"bond0\", \"interfaces\":"
                + " [{\"name\": \"p2\", \"type\": \"internal\"}, {\"name\": \"p3\", \"type\": \"internal\"}]}]}]}");
        assertEquals(0, h.appctl("config/reload").status);
        assertEquals(DEFAULT_DPIF + "    p2 7/2: (tap)\n    p3 2/3: (tap)\n", h.appctl("dpif/show").stdout);
        assertEquals(p2Index, BridgeDatabaseTest.link(h, "p2").get("ifindex"));
    }

    @Test
    void exitLeavesDevicesAndExitCleanupDeletesThem() throws Exception {
        assertEquals(0, h.startDetached().status);
        long pid = h.pidFromFile();
        assertEquals(0, h.appctl("exit").status);
        assertTrue(DaemonHarness.waitForExit(pid, 10_000));
        // As OVS's: the devices outlive the daemon, for the next one to take over.
        assertTrue(BridgeDatabaseTest.links(h).containsAll(List.of("br0", "ovs-netdev")));

        assertEquals(0, h.startDetached().status);
        pid = h.pidFromFile();
        assertEquals(0, h.appctl("exit", "--cleanup").status);
        assertTrue(DaemonHarness.waitForExit(pid, 10_000));
        assertEquals(Set.of("lo"), BridgeDatabaseTest.links(h));
    }

    @Test
    void missingConfigFileIsAStartupError() throws Exception {
        Result r = h.startDetached("--config=" + file);
        assertEquals(1, r.status, r.toString());
        assertTrue(r.stderr.contains(file + ": No such file or directory"), r.stderr);
    }

    /** A good bridge and port, plus 'badPorts' (JSON array members) and 'badBridge' (members of br0). */
    private static String config(String badBridge, String badPorts, String moreBridges) {
        return "{\"bridges\": [{\"name\": \"br0\"" + badBridge + ", \"ports\": [{\"name\": \"good1\", \"type\": \"internal\"}"
                + badPorts + "]}" + moreBridges + "]}";
    }

    @Test
    void badConfigurationsAreReportedAndTheRestApplies() throws Exception {
        Files.writeString(file, config("", "", ""));
        assertEquals(0, h.startDetached("--config=" + file).status);
        String good = DEFAULT_DPIF + "    good1 1/2: (tap)\n";
        assertEquals(good, h.appctl("dpif/show").stdout);

        // Each case: the file, and the error config/reload must report.
        Map<String, String> cases = Map.ofEntries(
                Map.entry(config("", ", {\"name\": \"x1\", \"type\": \"foo\"}", ""),
                        "bridges[0].ports[1].type: unknown interface type \"foo\""),
                Map.entry(config("", ", {\"name\": \"good1\"}", ""),
                        "bridges[0].ports[1].name: duplicate port \"good1\""),
                Map.entry(config("", ", {\"name\": \"x2\", \"interfaces\": [{\"name\": \"good1\"}]}", ""),
                        "bridges[0].ports[1].interfaces[0].name: duplicate interface \"good1\""),
                Map.entry(config("", ", {\"name\": \"x1\", \"tag\": 5000}", ""),
                        "bridges[0].ports[1].tag: 5000 is not a valid VLAN (0 to 4095); port x1 ignored"),
                Map.entry(config("", ", {\"name\": \"x1\", \"tag\": -1}", ""),
                        "bridges[0].ports[1].tag: -1 is not a valid VLAN"),
                Map.entry(config("", ", {\"name\": \"x1\", \"tag\": \"ten\"}", ""),
                        "bridges[0].ports[1].tag: \"ten\" is not a valid VLAN"),
                Map.entry(config("", ", {\"name\": \"x1\", \"trunks\": [10, 4096]}", ""),
                        "bridges[0].ports[1].trunks[1]: 4096 is not a valid VLAN"),
                Map.entry(config("", ", {\"name\": \"x1\", \"type\": \"internal\", \"ofport_request\": 70000}", ""),
                        "bridges[0].ports[1].ofport_request: 70000 is not an integer in range 1 to 65279"),
                Map.entry(config("", ", {\"name\": \"abcdefghijklmnopq\"}", ""),
                        "bridges[0].ports[1].name: \"abcdefghijklmnopq\" is not a valid device name"),
                Map.entry(config("", ", {\"name\": \"nosuchdev\"}", ""),
                        "could not open network device nosuchdev (No such device)"),
                Map.entry(config(", \"controller\": [{\"target\": \"foo:1.2.3.4\"}]", "", ""),
                        "bridges[0].controller[0].target: bad controller target \"foo:1.2.3.4\": unknown connection method \"foo\""),
                Map.entry(config(", \"controller\": [{\"target\": \"tcp:127.0.0.1:70000\"}]", "", ""),
                        "bridges[0].controller[0].target: bad controller target \"tcp:127.0.0.1:70000\": bad port number 70000"),
                Map.entry(config(", \"controller\": [{\"target\": \"tcp:127.0.0.1\", \"max_backoff\": 10}]", "", ""),
                        "bridges[0].controller[0].max_backoff: 10 is not an integer in range 1000 to infinity"),
                Map.entry(config(", \"fail_mode\": \"sometimes\"", "", ""),
                        "bridges[0].fail_mode: unknown fail mode \"sometimes\""),
                Map.entry(config(", \"protocols\": [\"OpenFlow99\"]", "", ""),
                        "bridges[0].protocols[0]: unknown OpenFlow version \"OpenFlow99\""),
                Map.entry(config(", \"other_config\": {\"hwaddr\": \"zz:00:00:00:00:01\"}", "", ""),
                        "bridges[0].other_config.hwaddr: \"zz:00:00:00:00:01\" is not an Ethernet address"),
                Map.entry(config(", \"other_config\": {\"hwaddr\": \"01:00:00:00:00:01\"}", "", ""),
                        "bridges[0].other_config.hwaddr: \"01:00:00:00:00:01\" is a multicast address"),
                Map.entry(config(", \"other_config\": {\"datapath-id\": \"123\"}", "", ""),
                        "bridges[0].other_config.datapath-id: \"123\" is not a datapath ID"),
                Map.entry(config(", \"prots\": []", "", ""), "bridges[0].prots: unknown field"),
                Map.entry(config("", "", ", {\"name\": \"br1\", \"datapath_type\": \"foo\"}"),
                        "bridges[1].datapath_type: unknown datapath type \"foo\""),
                Map.entry(config("", "", ", {\"name\": \"br0\"}"),
                        "bridges[1].name: bridge \"br0\" is configured twice"),
                Map.entry(config("", "", ", {\"name\": \"br1\", \"datapath_type\": \"system\"}"),
                        "failed to create bridge br1: No such file or directory"),
                Map.entry("{\"bridges\": [", "configuration not changed"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            Result reload = h.appctl("config/reload");
            assertEquals(2, reload.status, c.getKey() + ": " + reload);
            assertTrue(reload.stderr.contains(c.getValue()), c.getKey() + ": expected [" + c.getValue() + "] in " + reload.stderr);
            String dpif = h.appctl("dpif/show").stdout;
            assertTrue(dpif.startsWith(good), c.getKey() + ": " + dpif);
            assertFalse(dpif.contains("x1") || dpif.contains("x2") || dpif.contains("nosuchdev"), dpif);
        }
        // Fixing the file clears every error.
        Files.writeString(file, config("", "", ""));
        assertEquals(0, h.appctl("config/reload").status);
        assertEquals(good, h.appctl("dpif/show").stdout);
    }
}
