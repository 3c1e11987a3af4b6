package org.jovs.vswitchd.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jovs.vswitchd.normal.MacLearningTable;
import org.junit.jupiter.api.Test;

/** The text of fdb/show and fdb/stats-show, as OVS 3.1 prints it. */
class FdbCommandsTest {
    @Test
    void showListsEntriesOldestFirstWithLocalByName() {
        MacLearningTable t = new MacLearningTable();
        t.learn(0x0a0000000001L, 0, 1, 10_000);
        t.learn(0x5254000000ffL, 4094, 65534, 12_000);
        t.learn(0x0a0000000002L, 10, 12345, 13_000);
        assertEquals(" port  VLAN  MAC                Age\n"
                + "    1     0  0a:00:00:00:00:01    5\n"
                + "LOCAL  4094  52:54:00:00:00:ff    3\n"
                + "12345    10  0a:00:00:00:00:02    2\n", FdbCommands.show(t, 15));
    }

    @Test
    void statsShow() {
        MacLearningTable t = new MacLearningTable();
        t.setMaxEntries(2);
        t.learn(1, 0, 1, 0);
        t.learn(2, 0, 1, 0);
        t.learn(3, 0, 1, 0);
        t.learn(3, 0, 2, 0);
        assertEquals("Statistics for bridge \"br0\":\n"
                + "  Current/maximum MAC entries in the table: 2/2\n"
                + "  Current static MAC entries in the table : 0\n"
                + "  Total number of learned MAC entries     : 3\n"
                + "  Total number of expired MAC entries     : 0\n"
                + "  Total number of evicted MAC entries     : 1\n"
                + "  Total number of port moved MAC entries  : 1\n", FdbCommands.statsShow("br0", t));
    }
}
