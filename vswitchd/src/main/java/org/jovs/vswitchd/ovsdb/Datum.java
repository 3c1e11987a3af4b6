package org.jovs.vswitchd.ovsdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OVSDB values in their RFC 7047 JSON notation (as {@link org.jovs.core.json.Json} parses it):
 * reading columns of a replicated row and building the values a transaction writes.
 *
 * <p>An atom is a string, integer ({@code Long}), real, boolean, or {@code ["uuid", "..."]}. A set
 * is {@code ["set", [atoms]]}, or a bare atom when it has exactly one element; an optional value
 * (min 0, max 1) is a set of zero or one atoms. A map is {@code ["map", [[key, value], ...]]}. UUIDs
 * are handed out here as their string form. Pure logic.
 */
public final class Datum {
    private Datum() {
    }

    /** The elements of the set (or single atom) 'datum', atoms decoded. */
    public static List<Object> set(Object datum) {
        List<Object> out = new ArrayList<>();
        if (datum instanceof List<?> l && l.size() == 2 && "set".equals(l.get(0)) && l.get(1) instanceof List<?> items) {
            for (Object a : items) {
                out.add(atom(a));
            }
        } else if (datum != null) {
            out.add(atom(datum));
        }
        return out;
    }

    /** The value of an optional string column, or null when empty. */
    public static String optString(Object datum) {
        List<Object> s = set(datum);
        return s.isEmpty() || !(s.get(0) instanceof String str) ? null : str;
    }

    /** A string column ("" when absent). */
    public static String string(Object datum) {
        String s = optString(datum);
        return s == null ? "" : s;
    }

    /** The value of an optional integer column, or null when empty. */
    public static Long optInteger(Object datum) {
        List<Object> s = set(datum);
        return s.isEmpty() || !(s.get(0) instanceof Long l) ? null : l;
    }

    /** An integer column (0 when absent). */
    public static long integer(Object datum) {
        Long l = optInteger(datum);
        return l == null ? 0 : l;
    }

    /** A set of strings (or of UUIDs, as strings), in the order given. */
    public static List<String> strings(Object datum) {
        List<String> out = new ArrayList<>();
        for (Object a : set(datum)) {
            if (a instanceof String s) {
                out.add(s);
            }
        }
        return out;
    }

    /** A set of integers. */
    public static List<Long> integers(Object datum) {
        List<Long> out = new ArrayList<>();
        for (Object a : set(datum)) {
            if (a instanceof Long l) {
                out.add(l);
            }
        }
        return out;
    }

    /** A string-to-string map, sorted by key. */
    public static Map<String, String> stringMap(Object datum) {
        Map<String, String> out = new TreeMap<>();
        if (datum instanceof List<?> l && l.size() == 2 && "map".equals(l.get(0)) && l.get(1) instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (p instanceof List<?> kv && kv.size() == 2 && atom(kv.get(0)) instanceof String k) {
                    Object v = atom(kv.get(1));
                    out.put(k, v instanceof String s ? s : String.valueOf(v));
                }
            }
        }
        return out;
    }

    private static Object atom(Object json) {
        if (json instanceof List<?> l && l.size() == 2 && ("uuid".equals(l.get(0)) || "named-uuid".equals(l.get(0)))) {
            return l.get(1);
        }
        return json;
    }

    /** A reference to row 'uuid', for "where" clauses and uuid columns. */
    public static List<Object> uuid(String uuid) {
        return List.of("uuid", uuid);
    }

    /** An optional column's value: the atom, or the empty set for null. */
    public static Object optional(Object atom) {
        return atom == null ? emptySet() : atom;
    }

    public static List<Object> emptySet() {
        return List.of("set", List.of());
    }

    /** A set of atoms. */
    public static List<Object> setOf(Collection<?> atoms) {
        return List.of("set", new ArrayList<>(atoms));
    }

    /** A map with atom keys and values, in key order. */
    public static List<Object> mapOf(Map<String, ?> map) {
        List<Object> pairs = new ArrayList<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(map).entrySet()) {
            pairs.add(List.of(e.getKey(), e.getValue()));
        }
        return List.of("map", pairs);
    }
}
