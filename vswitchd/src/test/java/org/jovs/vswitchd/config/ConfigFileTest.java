package org.jovs.vswitchd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jovs.vswitchd.config.SwitchConfig.BridgeConfig;
import org.jovs.vswitchd.config.SwitchConfig.InterfaceConfig;
import org.jovs.vswitchd.config.SwitchConfig.PortConfig;
import org.junit.jupiter.api.Test;

/** The configuration file's structure, defaults and shorthands. The table of bad files runs against the daemon. */
class ConfigFileTest {
    @Test
    void fullFile() {
        ConfigFile.Result r = ConfigFile.parse("{\"other_config\": {\"enable-statistics\": \"true\"}, \"bridges\": [{"
                + "\"name\": \"br0\", \"fail_mode\": \"secure\", \"protocols\": [\"OpenFlow13\"],"
                + " \"other_config\": {\"datapath-id\": \"0000000000000abc\", \"hwaddr\": \"02:00:00:00:00:01\"},"
                + " \"controller\": [{\"target\": \"tcp:127.0.0.1:6653\", \"inactivity_probe\": 5000, \"max_backoff\": 8000}],"
                + " \"ports\": [{\"name\": \"p1\", \"tag\": 10, \"interfaces\": [{\"name\": \"p1\", \"type\": \"internal\","
                + " \"ofport_request\": 5}]}, {\"name\": \"veth0\", \"trunks\": [20, 30]}]}]}");
        assertEquals(List.of(), r.errors());
        SwitchConfig cfg = r.config();
        assertEquals(Map.of("enable-statistics", "true"), cfg.otherConfig());
        BridgeConfig br = cfg.bridges().get(0);
        assertEquals("netdev", br.datapathType());
        assertEquals("secure", br.failMode());
        assertEquals(List.of("OpenFlow13"), br.protocols());
        assertEquals("tcp:127.0.0.1:6653", br.controllers().get(0).target());
        assertEquals(5000L, br.controllers().get(0).inactivityProbe());
        // The bridge's own port comes first, as ovs-vsctl add-br makes it.
        assertEquals(List.of("br0", "p1", "veth0"), br.ports().stream().map(PortConfig::name).toList());
        PortConfig p1 = br.ports().get(1);
        assertEquals(10L, p1.tag());
        assertEquals(new InterfaceConfig(null, "p1", "internal", 5L, Map.of(), null), p1.interfaces().get(0));
        PortConfig veth = br.ports().get(2);
        assertEquals(List.of(20L, 30L), veth.trunks());
        assertEquals(new InterfaceConfig(null, "veth0", "", null, Map.of(), null), veth.interfaces().get(0));
    }

    @Test
    void defaultIsOneNetdevBridgeWithItsOwnPort() {
        BridgeConfig br = ConfigFile.DEFAULT.bridges().get(0);
        assertEquals("br0", br.name());
        assertEquals("netdev", br.datapathType());
        assertEquals("standalone", br.failMode());
        assertEquals(1, br.ports().size());
        assertEquals(new InterfaceConfig(null, "br0", "internal", null, Map.of(), null), br.ports().get(0).interfaces().get(0));
    }

    @Test
    void badPortIsLeftOutAndTheRestKept() {
        ConfigFile.Result r = ConfigFile.parse("{\"bridges\": [{\"name\": \"br0\", \"ports\": [{\"name\": \"a\", \"tag\": 4096},"
                + " {\"name\": \"b\"}]}, {\"name\": \"br1\"}]}");
        assertEquals(List.of("bridges[0].ports[0].tag: 4096 is not a valid VLAN (0 to 4095); port a ignored"), r.errors());
        assertEquals(List.of("br0", "b"), r.config().bridges().get(0).ports().stream().map(PortConfig::name).toList());
        assertEquals("br1", r.config().bridges().get(1).name());
    }

    @Test
    void unusableFilesHaveNoConfiguration() {
        ConfigFile.Result r = ConfigFile.parse("[1, 2]");
        assertNull(r.config());
        assertEquals(List.of("the configuration must be a JSON object"), r.errors());
        r = ConfigFile.parse("{\"bridges\": ");
        assertNull(r.config());
        assertTrue(r.errors().get(0).startsWith("syntax error"), r.errors().toString());
    }
}
