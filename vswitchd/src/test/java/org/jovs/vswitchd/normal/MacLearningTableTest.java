package org.jovs.vswitchd.normal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Learning, moves, ageing, the size cap and the totals of fdb/stats-show, on a test clock. */
class MacLearningTableTest {
    private static final long A = 0x0a0000000001L;
    private static final long B = 0x0a0000000002L;

    @Test
    void learnLookupAndMove() {
        MacLearningTable t = new MacLearningTable();
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A, 0));
        assertTrue(t.learn(A, 0, 1, 0));
        assertEquals(1, t.lookup(A, 0));
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A, 10), "VLANs are separate");
        assertFalse(t.learn(A, 0, 1, 500), "same port: nothing changed");
        assertTrue(t.learn(A, 0, 2, 600), "moved");
        assertEquals(2, t.lookup(A, 0));
        assertEquals(1, t.totalLearned());
        assertEquals(1, t.totalMoved());
        assertFalse(t.learn(0x010000000001L, 0, 1, 0), "multicast sources are not learned");
        assertEquals(1, t.size());
    }

    @Test
    void entriesAgeAndExpire() {
        MacLearningTable t = new MacLearningTable();
        t.setIdleTime(5);
        assertEquals(15, t.idleTime(), "clamped as OVS");
        t.learn(A, 0, 1, 0);
        t.learn(B, 0, 2, 10_000);
        List<Integer> ages = new ArrayList<>();
        t.forEach(e -> ages.add(t.age(e, 12)));
        assertEquals(List.of(12, 2), ages);
        assertEquals(15_000, t.nextExpiryMs());
        t.run(14_999);
        assertEquals(2, t.size());
        t.run(15_000);
        assertEquals(1, t.size());
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A, 0));
        assertEquals(1, t.totalExpired());
        // Refreshing keeps B alive past its first expiry.
        t.learn(B, 0, 2, 20_000);
        t.run(25_000);
        assertEquals(2, t.lookup(B, 0));
        t.setIdleTime(3600);
        t.run(100_000);
        assertEquals(2, t.lookup(B, 0));
    }

    @Test
    void fullTableEvictsTheOldest() {
        MacLearningTable t = new MacLearningTable();
        t.setMaxEntries(3);
        for (int i = 0; i < 5; i++) {
            t.learn(A + i, 0, 1, i * 1000L);
        }
        assertEquals(3, t.size());
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A, 0));
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A + 1, 0));
        assertEquals(1, t.lookup(A + 4, 0));
        assertEquals(2, t.totalEvicted());
        t.setMaxEntries(1);
        t.run(5000);
        assertEquals(1, t.size());
        assertEquals(1, t.lookup(A + 4, 0));
        assertEquals(4, t.totalEvicted());
    }

    @Test
    void manyEntriesFlushAndStatistics() {
        MacLearningTable t = new MacLearningTable();
        for (int i = 0; i < 5000; i++) {
            t.learn(A + i, i % 7, i % 3, 0);
        }
        assertEquals(5000, t.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(i % 3, t.lookup(A + i, i % 7));
        }
        t.flushPort(1);
        assertEquals(5000 - 1667, t.size());
        assertEquals(MacLearningTable.NO_PORT, t.lookup(A + 1, 1));
        t.flush();
        assertEquals(0, t.size());
        assertEquals(Long.MAX_VALUE, t.nextExpiryMs());
        assertEquals(5000, t.totalLearned());
        t.clearStatistics();
        assertEquals(0, t.totalLearned());
    }
}
