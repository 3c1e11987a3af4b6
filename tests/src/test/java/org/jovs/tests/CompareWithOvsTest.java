package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.core.json.Json;
import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The same ovs-vsctl script, run against the real ovs-vswitchd (Debian's, userspace datapath) and
 * against ours, each with its own ovsdb-server, run directory and network namespace, must leave
 * the same `ovs-vsctl show` output and the same Interface columns, once UUIDs and MAC addresses
 * (random per run) are normalised and statistics reduced to their keys (their values depend on
 * stray traffic).
 */
class CompareWithOvsTest extends SideBySideTest {
    private static final String COLUMNS = "name,type,ofport,ofport_request,error,admin_state,link_state,link_speed,"
            + "duplex,mtu,mac_in_use,ifindex,status,statistics";

    /** One step of the script: an ovs-vsctl command line, or a command to run in the namespace. */
    private static void step(DaemonHarness h, OvsdbServer db, String... cmd) throws Exception {
        if (cmd[0].equals("ip")) {
            Result r = h.runInNetns(10, cmd);
            assertEquals(0, r.status, r.toString());
        } else {
            Result r = db.vsctl(cmd);
            assertEquals(0, r.status, String.join(" ", cmd) + ": " + r);
        }
    }

    private static final String[][] SCRIPT = {
        {"add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev"},
        {"ip", "link", "add", "v0", "type", "veth", "peer", "name", "v0p"},
        {"add-port", "br0", "v0"},
        {"add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal", "ofport_request=5"},
        {"add-port", "br0", "p2", "tag=10", "--", "set", "interface", "p2", "type=internal"},
        {"add-port", "br0", "t1", "--", "set", "interface", "t1", "type=tap"},
        {"add-port", "br0", "nonexist"},
        {"add-port", "br0", "bad", "--", "set", "interface", "bad", "type=foo"},
        {"add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev", "fail_mode=secure",
            "protocols=OpenFlow13"},
        {"set-controller", "br1", "tcp:127.0.0.1:6653"},
        {"set", "bridge", "br0", "other_config:hwaddr=02:00:00:00:00:01"},
        {"set", "port", "p1", "trunks=20,30"},
        {"del-port", "br0", "p2"},
        {"add-port", "br1", "q1", "--", "set", "interface", "q1", "type=internal"},
        {"ip", "link", "set", "v0", "up"},
        {"ip", "link", "set", "v0p", "up"},
    };

    @Test
    void sameScriptSameDatabase() throws Exception {
        for (String[] cmd : SCRIPT) {
            step(real, realDb, cmd);
            step(ours, ourDb, cmd);
        }
        // Let link events settle in both daemons.
        Thread.sleep(500);
        assertEquals(sortedTree(normalise(realDb.vsctlOk("show"))), sortedTree(normalise(ourDb.vsctlOk("show"))));
        assertEquals(interfaces(realDb), interfaces(ourDb));
        for (String br : new String[] {"br0", "br1"}) {
            assertEquals(realDb.vsctlOk("get", "bridge", br, "datapath_version"),
                    ourDb.vsctlOk("get", "bridge", br, "datapath_version"));
        }
        assertEquals("\"0000020000000001\"", ourDb.vsctlOk("get", "bridge", "br0", "datapath_id"));
        assertEquals(realDb.vsctlOk("get", "bridge", "br0", "datapath_id"), ourDb.vsctlOk("get", "bridge", "br0", "datapath_id"));
        // br1's address comes from its row UUID; in both, the datapath ID is that address.
        String mac = ourDb.vsctlOk("get", "interface", "br1", "mac_in_use").replace("\"", "").replace(":", "");
        assertEquals("\"0000" + mac + "\"", ourDb.vsctlOk("get", "bridge", "br1", "datapath_id"));
        assertEquals(real.appctl("dpif/show").stdout.replaceAll("hit:\\d+ missed:\\d+", ""),
                ours.appctl("dpif/show").stdout.replaceAll("hit:\\d+ missed:\\d+", ""));
        // The MAC table commands, on br1 (fail mode secure: nothing is learned) and in error.
        String[][] fdb = {{"fdb/show", "br1"}, {"fdb/stats-show", "br1"}, {"fdb/flush"}, {"fdb/flush", "br0"},
            {"fdb/stats-clear"}, {"fdb/stats-clear", "br1"}, {"fdb/show", "nosuch"}, {"fdb/flush", "nosuch"},
            {"fdb/stats-show", "nosuch"}, {"fdb/stats-clear", "nosuch"}, {"fdb/show"}};
        for (String[] cmd : fdb) {
            Result a = real.appctl(cmd);
            Result b = ours.appctl(cmd);
            assertEquals(a.status + a.stdout + a.stderr, b.status + b.stdout + b.stderr, String.join(" ", cmd));
        }
    }

    /**
     * `ovs-vsctl show` lists bridges and ports in hash order, which differs from database to
     * database: sort every line's children (the lines indented below it) recursively.
     */
    static String sortedTree(String text) {
        List<String> lines = List.of(text.split("\n"));
        StringBuilder sb = new StringBuilder();
        for (String node : children(lines, 0, lines.size())) {
            sb.append(node);
        }
        return sb.toString();
    }

    private static List<String> children(List<String> lines, int from, int to) {
        List<String> nodes = new ArrayList<>();
        int i = from;
        while (i < to) {
            int indent = indent(lines.get(i));
            int end = i + 1;
            while (end < to && indent(lines.get(end)) > indent) {
                end++;
            }
            StringBuilder node = new StringBuilder(lines.get(i)).append('\n');
            for (String child : children(lines, i + 1, end)) {
                node.append(child);
            }
            nodes.add(node.toString());
            i = end;
        }
        nodes.sort(null);
        return nodes;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String normalise(String s) {
        return s.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID")
                .replaceAll("[0-9a-f]{2}(:[0-9a-f]{2}){5}", "MAC");
    }

    /** Every Interface row's compared columns, by name, normalised. */
    private static Map<String, String> interfaces(OvsdbServer db) throws Exception {
        Map<?, ?> table = (Map<?, ?>) Json.parse(db.vsctlOk("--format=json", "--columns=" + COLUMNS, "list", "interface"));
        List<?> headings = (List<?>) table.get("headings");
        Map<String, String> out = new TreeMap<>();
        for (Object row : (List<?>) table.get("data")) {
            List<?> values = (List<?>) row;
            Map<String, Object> cols = new TreeMap<>();
            for (int i = 0; i < headings.size(); i++) {
                Object v = values.get(i);
                if (headings.get(i).equals("statistics")) {
                    List<Object> keys = new ArrayList<>();
                    for (Object kv : (List<?>) ((List<?>) v).get(1)) {
                        keys.add(((List<?>) kv).get(0));
                    }
                    v = keys;
                }
                cols.put((String) headings.get(i), v);
            }
            out.put((String) cols.get("name"), normalise(Json.toString(cols)));
        }
        assertTrue(out.size() >= 8, out.toString());
        return out;
    }
}
