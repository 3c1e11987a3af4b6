package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The same switch, built with the same ovs-vsctl commands on the real ovs-vswitchd (Debian's,
 * userspace datapath) and on ours, must forward the same way: which clients reach which over
 * access ports of VLANs 10 and 20 and a trunk, in which VLAN the trunk gets its answers, and what
 * the MAC table holds afterwards (ages aside).
 */
class ForwardingCompareWithOvsTest extends SideBySideTest {
    /** What one daemon does with clients 1, 2 (VLAN 10), 3 (VLAN 20) and 4 (trunk of 10 and 20). */
    private static Map<String, String> behaviour(DaemonHarness h, OvsdbServer db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (VethClients c = new VethClients(h)) {
            for (int i = 1; i <= 3; i++) {
                c.add(i, "10.0.0." + i + "/24");
            }
            c.add(4, null);
            db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "--", "add-port", "br0", c.port(1), "tag=10", "--", "set", "interface", c.port(1), "ofport_request=1",
                    "--", "add-port", "br0", c.port(2), "tag=10", "--", "set", "interface", c.port(2), "ofport_request=2",
                    "--", "add-port", "br0", c.port(3), "tag=20", "--", "set", "interface", c.port(3), "ofport_request=3",
                    "--", "add-port", "br0", c.port(4), "trunks=10,20", "--", "set", "interface", c.port(4),
                    "ofport_request=4");
            out.put("ping 1 -> 2", Boolean.toString(c.ping(1, "10.0.0.2")));
            out.put("ping 3 -> 1", Boolean.toString(c.exec(3, 20, "ping", "-c", "2", "-i", "0.2", "-W", "1",
                    "10.0.0.1").status == 0));
            // Each unanswered question costs 3 s: ask the telling ones only (VID 0 is a priority tag).
            Object[][] questions = {{10, "10.0.0.1"}, {20, "10.0.0.3"}, {20, "10.0.0.1"}, {0, "10.0.0.1"}};
            for (Object[] q : questions) {
                Result r = c.vlanArp(4, (Integer) q[0], "10.0.0.4", (String) q[1]);
                out.put("trunk asks " + q[1] + " in VLAN " + q[0], r.status + " " + r.stdout.trim());
            }
            // The MAC table with clients' addresses named and ages left out, sorted.
            String fdb = h.appctl("fdb/show", "br0").stdout;
            for (int i = 1; i <= 4; i++) {
                fdb = fdb.replace(c.mac(i, "vc"), "client" + i);
            }
            List<String> lines = new ArrayList<>();
            for (String line : fdb.split("\n")) {
                lines.add(line.replaceAll("\\s+\\d+$", ""));
            }
            lines.sort(null);
            out.put("fdb/show", String.join("\n", lines));
        }
        return out;
    }

    @Test
    void accessAndTrunkPortsForwardAsRealOvs() throws Exception {
        Map<String, String> expected = behaviour(real, realDb);
        assertEquals(expected, behaviour(ours, ourDb));
        // Not vacuous: the real switch connected VLAN 10 and kept VLAN 20 apart.
        assertEquals("true", expected.get("ping 1 -> 2"));
        assertEquals("false", expected.get("ping 3 -> 1"));
    }
}
