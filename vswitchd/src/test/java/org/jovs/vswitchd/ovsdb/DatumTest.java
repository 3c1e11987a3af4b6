package org.jovs.vswitchd.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.jovs.core.json.Json;
import org.junit.jupiter.api.Test;

/** OVSDB values in RFC 7047 notation, as ovsdb-server sends them and as we write them. */
class DatumTest {
    @Test
    void readsAtomsSetsAndMaps() throws Exception {
        assertEquals("br0", Datum.string(Json.parse("\"br0\"")));
        assertEquals("", Datum.string(Json.parse("[\"set\",[]]")));
        assertNull(Datum.optString(Json.parse("[\"set\",[]]")));
        assertEquals(5L, Datum.optInteger(Json.parse("5")));
        assertNull(Datum.optInteger(Json.parse("[\"set\",[]]")));
        assertEquals(List.of(10L, 20L), Datum.integers(Json.parse("[\"set\",[10,20]]")));
        assertEquals(List.of("a-b"), Datum.strings(Json.parse("[\"uuid\",\"a-b\"]")));
        assertEquals(List.of("a", "b"), Datum.strings(Json.parse("[\"set\",[[\"uuid\",\"a\"],[\"uuid\",\"b\"]]]")));
        assertEquals(Map.of("hwaddr", "02:00:00:00:00:01", "x", "1"),
                Datum.stringMap(Json.parse("[\"map\",[[\"x\",\"1\"],[\"hwaddr\",\"02:00:00:00:00:01\"]]]")));
    }

    @Test
    void writesOptionalsSetsAndSortedMaps() {
        assertEquals("[\"set\",[]]", Json.toString(Datum.optional(null)));
        assertEquals("7", Json.toString(Datum.optional(7L)));
        assertEquals("[\"set\",[\"netdev\"]]", Json.toString(Datum.setOf(List.of("netdev"))));
        assertEquals("[\"map\",[[\"a\",1],[\"b\",2]]]", Json.toString(Datum.mapOf(Map.of("b", 2L, "a", 1L))));
        assertEquals("[\"uuid\",\"x\"]", Json.toString(Datum.uuid("x")));
    }
}
