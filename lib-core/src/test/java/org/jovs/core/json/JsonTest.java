package org.jovs.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The JSON codec: values, text form, errors, nesting limits and the stream framer. */
class JsonTest {
    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\":[1,-2,3.5,true,false,null,\"x\\n\\u0041\"],\"b\":{},\"c\":[]} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2L, 3.5, true, false, null, "x\nA"));
        expected.put("b", Map.of());
        expected.put("c", List.of());
        assertEquals(expected, v);
        assertEquals("str", Json.parse("\"str\""));
        assertNull(Json.parse("null"));
    }

    @Test
    void serializesCompactlyWithOvsEscapes() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "a\"b\\c\n\t\u0001é");
        m.put("error", null);
        m.put("id", 7L);
        String text = Json.toString(m);
        assertEquals("{\"result\":\"a\\\"b\\\\c\\n\\t\\u0001é\",\"error\":null,\"id\":7}", text);
        assertEquals(m, Json.parse(text));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "{1:2}", "[1 2]", "tru", "01", "\"\\x\"",
            "\"unterminated", "[1]]", "{\"a\":1,}", "\"\u0001\""}) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void deepNestingWithinTheLimitNeedsNoDeepStack() throws Exception {
        String deep = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        AtomicReference<Object> result = new AtomicReference<>();
        // A small stack: a recursive parser would overflow here, and a StackOverflowError on the
        // main loop would take the daemon down.
        Thread t = new Thread(null, () -> {
            try {
                result.set(Json.parse(deep));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 64 * 1024);
        t.start();
        t.join();
        assertTrue(result.get() instanceof List, String.valueOf(result.get()));
        JsonException e = assertThrows(JsonException.class,
                () -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
        assertTrue(e.getMessage().contains("maximum nesting depth 1000"), e.getMessage());
    }

    @Test
    void streamParserSplitsValuesBackToBack() throws Exception {
        byte[] in = "{\"a\":\"}\"}[1,{\"b\":[2]}] {}".getBytes(StandardCharsets.UTF_8);
        JsonStreamParser p = new JsonStreamParser(1 << 20);
        int off = 0;
        List<Object> values = new java.util.ArrayList<>();
        while (off < in.length) {
            off += p.feed(in, off, in.length - off);
            if (p.isDone()) {
                values.add(p.finish());
            }
        }
        assertEquals(List.of(Map.of("a", "}"), List.of(1L, Map.of("b", List.of(2L))), Map.of()), values);
    }

    @Test
    void streamParserEnforcesItsSizeLimit() {
        JsonStreamParser p = new JsonStreamParser(16);
        byte[] in = "{\"a\":\"0123456789abcdef\"}".getBytes(StandardCharsets.UTF_8);
        p.feed(in, 0, in.length);
        assertTrue(p.error().contains("maximum message size"), p.error());
    }
}
