package org.jovs.vswitchd.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** OpenFlow port numbers as OVS's alloc_ofp_port() hands them out. */
class OfportAllocatorTest {
    private static final long HOUR = 60L * 60 * 1000;

    @Test
    void requestedNumbersAreHonouredAndOthersCountUp() {
        OfportAllocator a = new OfportAllocator();
        a.reserve(OfportAllocator.OFPP_LOCAL);
        assertEquals(1, a.allocate(0, 0));
        assertEquals(5, a.allocate(5, 0));
        assertEquals(2, a.allocate(0, 0));
        // A request for a number in use gets the next free one instead.
        assertEquals(3, a.allocate(5, 0));
    }

    @Test
    void freedNumbersAreNotReusedForAnHour() {
        OfportAllocator a = new OfportAllocator();
        assertEquals(1, a.allocate(0, 0));
        assertEquals(2, a.allocate(0, 0));
        a.release(2, 10);
        assertEquals(3, a.allocate(0, 20));
        // A freed number may still be asked for explicitly.
        assertEquals(2, a.allocate(2, 30));
    }

    @Test
    void searchWrapsAndTakesLongFreedNumbers() {
        OfportAllocator a = new OfportAllocator();
        for (int i = 1; i < 32768; i++) {
            assertEquals(i, a.allocate(0, 0));
        }
        a.release(7, 0);
        a.release(9, 5);
        // All in use or freed recently: the least recently freed one.
        assertEquals(7, a.allocate(0, 10));
        a.release(3, 0);
        assertEquals(3, a.allocate(0, HOUR + 1));
        assertEquals(9, a.allocate(0, HOUR + 2));
        assertEquals(-1, a.allocate(0, HOUR + 3));
    }

    @Test
    void outOfRangeRequestsAreIgnored() {
        OfportAllocator a = new OfportAllocator();
        assertEquals(1, a.allocate(OfportAllocator.OFPP_MAX, 0));
        assertEquals(2, a.allocate(-4, 0));
    }
}
