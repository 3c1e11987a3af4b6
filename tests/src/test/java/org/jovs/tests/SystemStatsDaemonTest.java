package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.jovs.core.json.Json;
import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Open_vSwitch "statistics" column, with the real ovsdb-server and ovs-vsctl: with
 * other_config:enable-statistics=true the daemon's worker gathers OVS's system statistics every
 * 5 s and the daemon writes them; set back to false, the column is emptied. With --no-worker there
 * is nowhere to gather them without blocking the main loop, so the column stays empty.
 */
class SystemStatsDaemonTest {
    private static final Set<String> KEYS = Set.of("cpu", "load_average", "memory", "process_ovs-vswitchd",
            "process_ovsdb-server", "file_systems");

    private DaemonHarness h;
    private OvsdbServer db;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        db = OvsdbServer.start(h);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** The statistics column, read as JSON so that values with commas and spaces stay whole. */
    private Map<String, String> statistics() throws Exception {
        String out = db.vsctlOk("--format=json", "--columns=statistics", "list", "Open_vSwitch");
        List<?> row = (List<?>) ((List<?>) ((Map<?, ?>) Json.parse(out)).get("data")).get(0);
        List<?> map = (List<?>) row.get(0);
        assertEquals("map", map.get(0), out);
        Map<String, String> stats = new LinkedHashMap<>();
        for (Object pair : (List<?>) map.get(1)) {
            stats.put((String) ((List<?>) pair).get(0), (String) ((List<?>) pair).get(1));
        }
        return stats;
    }

    private Map<String, String> awaitStatistics(Predicate<Map<String, String>> want, long ms, String what)
            throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        Map<String, String> got = statistics();
        while (!want.test(got) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            got = statistics();
        }
        assertTrue(want.test(got), what + " within " + ms + " ms; statistics: " + got);
        return got;
    }

    @Test
    void enabledStatisticsAppearRefreshAndAreClearedWhenDisabled() throws Exception {
        Result r = h.startDetached(db.remote());
        assertEquals(0, r.status, r.toString());
        assertEquals(Map.of(), statistics());

        db.vsctlOk("set", "Open_vSwitch", ".", "other_config:enable-statistics=true");
        Map<String, String> first = awaitStatistics(s -> s.keySet().containsAll(KEYS), 15_000, "OVS's keys");
        assertTrue(first.get("cpu").matches("[1-9]\\d*"), first.toString());
        assertTrue(first.get("load_average").matches("\\d+\\.\\d\\d,\\d+\\.\\d\\d,\\d+\\.\\d\\d"), first.toString());
        assertTrue(first.get("memory").matches("\\d+,\\d+,\\d+,\\d+,\\d+"), first.toString());
        assertTrue(first.get("file_systems").matches("\\S+,\\d+,\\d+( \\S+,\\d+,\\d+)*"), first.toString());
        // vsz,rss,cputime,crashes,booted,uptime,core_id of the daemon (from its pidfile), not run under a monitor.
        String[] p = first.get("process_ovs-vswitchd").split(",", -1);
        assertEquals(7, p.length, first.toString());
        assertTrue(Long.parseLong(p[0]) > Long.parseLong(p[1]) && Long.parseLong(p[1]) > 0, first.toString());
        assertTrue(Long.parseLong(p[2]) > 0, "cputime: " + first);
        assertEquals("0", p[3]);
        assertEquals(p[4], p[5], "booted equals uptime without a monitor: " + first);
        assertTrue(Long.parseLong(p[5]) > 0 && Long.parseLong(p[5]) < 600_000, first.toString());

        // Refreshed every 5 s: the daemon's uptime moves on.
        String firstProcess = first.get("process_ovs-vswitchd");
        Map<String, String> next = awaitStatistics(s -> s.containsKey("process_ovs-vswitchd")
                && !s.get("process_ovs-vswitchd").equals(firstProcess), 12_000, "a refreshed snapshot");
        long firstUptime = Long.parseLong(p[5]);
        long nextUptime = Long.parseLong(next.get("process_ovs-vswitchd").split(",")[5]);
        assertTrue(nextUptime - firstUptime >= 4_000, "uptime " + firstUptime + " then " + nextUptime);

        db.vsctlOk("set", "Open_vSwitch", ".", "other_config:enable-statistics=false");
        assertEquals(Map.of(), statistics(), "ovs-vsctl waits for the daemon, which clears the column");
        // A snapshot already being gathered is dropped, and none follows.
        Thread.sleep(6_000);
        assertEquals(Map.of(), statistics());
    }

    @Test
    void noStatisticsWithoutAWorker() throws Exception {
        Result r = h.startDetached(db.remote(), "--no-worker");
        assertEquals(0, r.status, r.toString());
        db.vsctlOk("set", "Open_vSwitch", ".", "other_config:enable-statistics=true");
        // ovs-vsctl returned once the daemon applied the change; give a snapshot time to show up.
        Thread.sleep(1_500);
        assertFalse(statistics().containsKey("cpu"));
        assertEquals(Map.of(), statistics());
    }
}
