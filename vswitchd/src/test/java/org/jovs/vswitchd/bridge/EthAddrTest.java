package org.jovs.vswitchd.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Ethernet addresses, and the bridge address OVS derives from a Bridge row's UUID. */
class EthAddrTest {
    @Test
    void defaultBridgeAddressMatchesRealOvs() {
        // Observed with the real ovs-vswitchd 3.1: Bridge row UUID -> br0's address.
        assertEquals("aa:1e:ef:3e:95:4b", EthAddr.fromUuid(UUID.fromString("3eef1eab-228c-4b95-9436-3e31883f91f9")).toString());
        assertEquals("32:66:c4:47:80:40", EthAddr.fromUuid(UUID.fromString("47c46633-7538-4080-8d61-867e93b5f6da")).toString());
    }

    @Test
    void parsesAndClassifies() {
        EthAddr a = EthAddr.parse("2:0:0:0:0:1");
        assertEquals("02:00:00:00:00:01", a.toString());
        assertTrue(a.isLocal());
        assertFalse(a.isMulticast());
        assertTrue(EthAddr.parse("01:00:5e:00:00:01").isMulticast());
        assertTrue(EthAddr.parse("00:00:00:00:00:00").isZero());
        assertFalse(EthAddr.parse("00:16:3e:00:00:01").isLocal());
        assertNull(EthAddr.parse("00:16:3e:00:00"));
        assertNull(EthAddr.parse("00:16:3e:00:00:001"));
        assertNull(EthAddr.parse("zz:16:3e:00:00:01"));
    }

    @Test
    void datapathIdNeedsSixteenHexDigits() {
        assertEquals(0xabcL, Bridge.parseDatapathId("0000000000000abc"));
        assertEquals(0, Bridge.parseDatapathId("abc"));
        assertEquals(0, Bridge.parseDatapathId("000000000000zabc"));
        assertEquals(-1L, Bridge.parseDatapathId("ffffffffffffffff"));
    }
}
