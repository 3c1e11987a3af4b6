package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same ovs-ofctl script (plain, i.e. OpenFlow 1.0 with Nicira extensions, and -O OpenFlow13)
 * and `ovs-appctl bridge/dump-flows`, run against the real ovs-vswitchd (Debian's, userspace
 * datapath) and against ours, each with its own ovsdb-server, run directory and network
 * namespace, must print the same text once what cannot match is normalised: durations and ages
 * (timing; hard_age is printed only when a flow's modification and creation fall in different
 * seconds), port addresses (random tap MACs), and the order of flows within a dump (OVS's
 * classifier order is its hash order, so flow lines are compared sorted).
 *
 * <p>Left out, because they cannot be equal yet: OVS's hidden table-254 flows in
 * bridge/dump-flows (internal rules of ofproto-dpif that this switch does not have); Nicira
 * actions other than resubmit (this switch refuses them); mfr/hw/sw descriptions in dump-desc
 * (product identity, not behaviour).
 */
class OfctlCompareWithOvsTest extends SideBySideTest {
    private static final String OFCTL = "/usr/bin/ovs-ofctl";
    private static final String[] VERSIONS = {null, "OpenFlow13"};

    @BeforeEach
    void setUp() throws Exception {
        for (OvsdbServer db : new OvsdbServer[] {realDb, ourDb}) {
            // A fixed bridge address gives both the same datapath ID and LOCAL address.
            db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "other_config:hwaddr=02:00:00:00:00:01");
            db.vsctlOk("add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal", "ofport_request=1");
            db.vsctlOk("add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal", "ofport_request=2");
        }
    }

    /** Runs the script against one daemon and returns its normalised transcript. */
    private static String transcript(DaemonHarness h) throws Exception {
        StringBuilder out = new StringBuilder();
        Path flowFile = h.dir().resolve("flows.txt");
        Files.writeString(flowFile, "table=0,in_port=2,actions=output:1\n"
                + "table=3,cookie=0x5,udp,tp_dst=53,actions=drop\n"
                + "table=1,priority=7,dl_src=00:11:22:33:44:55,dl_type=0x0806,actions=NORMAL\n");
        for (String v : VERSIONS) {
            for (String cmd : new String[] {"show", "dump-flows", "dump-aggregate", "dump-ports-desc", "dump-tables",
                "get-frags", "dump-desc"}) {
                ofctl(h, out, v, cmd, "br0");
            }
        }
        dumpFlows(h, out);
        ofctl(h, out, null, "add-flow", "br0", "in_port=1,actions=output:2");
        ofctl(h, out, null, "add-flow", "br0", "priority=100,ip,nw_dst=10.0.0.1,actions=mod_nw_dst:10.0.0.2,output:2");
        ofctl(h, out, null, "add-flow", "br0",
                "priority=200,cookie=0x10,tcp,nw_src=192.168.0.0/16,tp_dst=80,idle_timeout=60,"
                        + "actions=mod_vlan_vid:5,output:1");
        ofctl(h, out, null, "add-flows", "br0", flowFile.toString());
        ofctl(h, out, "OpenFlow13", "add-flow", "br0", "table=2,priority=9,ipv6,actions=resubmit(,4),goto_table:3");
        ofctl(h, out, null, "add-flow", "br0", "table=4,actions=resubmit:2,output:1");
        dumpFlows(h, out);
        ofctl(h, out, null, "mod-flows", "br0", "in_port=1,actions=output:LOCAL");
        ofctl(h, out, null, "--strict", "del-flows", "br0", "ip,nw_dst=10.0.0.1");
        ofctl(h, out, null, "--strict", "del-flows", "br0", "priority=100,ip,nw_dst=10.0.0.1");
        ofctl(h, out, null, "del-flows", "br0", "cookie=0x5/-1");
        ofctl(h, out, "OpenFlow13", "mod-flows", "br0", "table=1,actions=drop");
        dumpFlows(h, out);
        ofctl(h, out, "OpenFlow13", "del-flows", "br0", "in_port=2");
        ofctl(h, out, null, "del-flows", "br0", "table=2");
        dumpFlows(h, out);
        ofctl(h, out, null, "dump-tables", "br0");
        ofctl(h, out, null, "del-flows", "br0");
        dumpFlows(h, out);
        return out.toString();
    }

    /** dump-flows and dump-aggregate in both versions, then bridge/dump-flows. */
    private static void dumpFlows(DaemonHarness h, StringBuilder out) throws Exception {
        for (String v : VERSIONS) {
            ofctl(h, out, v, "dump-flows", "br0");
            ofctl(h, out, v, "dump-aggregate", "br0");
        }
        Result r = h.appctl("bridge/dump-flows", "br0");
        out.append("### bridge/dump-flows br0 rc=").append(r.status).append('\n')
                .append(normalise(r.stdout.replaceAll("(?m)^table_id=254, .*\n", "")));
    }

    private static void ofctl(DaemonHarness h, StringBuilder out, String version, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(OFCTL));
        if (version != null) {
            argv.add("-O");
            argv.add(version);
        }
        argv.addAll(List.of(args));
        Result r = h.runInNetns(30, argv.toArray(new String[0]));
        String stdout = r.stdout.replaceAll("(?m)^(Manufacturer|Hardware|Software): .*\n", "");
        out.append("### ").append(String.join(" ", argv.subList(1, argv.size())).replace(h.dir().toString(), "DIR"))
                .append(" rc=").append(r.status).append('\n').append(normalise(stdout)).append(r.stderr);
    }

    /** Timing and random addresses blanked; each run of consecutive flow lines sorted. */
    private static String normalise(String text) {
        String s = text.replaceAll("duration=[0-9.]+s", "duration=X").replaceAll("idle_age=[0-9]+", "idle_age=X")
                .replaceAll("hard_age=[0-9]+, ", "").replaceAll("addr:[0-9a-f]{2}(:[0-9a-f]{2}){5}", "addr:MAC");
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        int i = 0;
        while (i < lines.size()) {
            int end = i;
            while (end < lines.size() && lines.get(end).contains("n_packets=")) {
                end++;
            }
            lines.subList(i, end).sort(null);
            i = Math.max(end, i + 1);
        }
        return String.join("\n", lines);
    }

    @Test
    void sameOfctlScriptSameOutput() throws Exception {
        String expected = transcript(real);
        // The script must have worked on real OVS, or equal failures would pass.
        assertFalse(expected.matches("(?s).* rc=[1-9].*"), expected);
        assertTrue(expected.contains("priority=200,tcp,nw_src=192.168.0.0/16,tp_dst=80 actions=push_vlan:0x8100,"), expected);
        assertEquals(expected, transcript(ours));
    }
}
