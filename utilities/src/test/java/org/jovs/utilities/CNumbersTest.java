package org.jovs.utilities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The C number parsing that decides what ovs-appctl accepts in -T and reads from pidfiles. */
class CNumbersTest {
    @Test
    void timeoutsAreUnsignedIntsWithNothingAfter() {
        assertEquals(5, AppCtl.parseUnsigned("5"));
        assertEquals(5, AppCtl.parseUnsigned(" \t+5"));
        assertEquals(0, AppCtl.parseUnsigned("-0"));
        assertEquals(4294967295L, AppCtl.parseUnsigned("4294967295"));
        assertEquals(-1, AppCtl.parseUnsigned("4294967296"));
        assertEquals(-1, AppCtl.parseUnsigned("99999999999999999999"));
        assertEquals(-1, AppCtl.parseUnsigned("-1"));
        assertEquals(-1, AppCtl.parseUnsigned("5 "));
        assertEquals(-1, AppCtl.parseUnsigned("0x5"));
        assertEquals(-1, AppCtl.parseUnsigned(""));
    }

    @Test
    void pidfileLinesParseAsStrtoul() {
        assertEquals(1234, PidfileReader.strtoul("1234\n"));
        assertEquals(1234, PidfileReader.strtoul("  1234abc"));
        assertEquals(0, PidfileReader.strtoul("abc"));
        assertEquals(-1, PidfileReader.strtoul("-1\n"));
        assertEquals(-1, PidfileReader.strtoul("99999999999999999999999"));
        assertEquals(-5, PidfileReader.strtoul("-5"));
    }
}
