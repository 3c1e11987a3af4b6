package org.jovs.core.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java objects, and their text form (RFC 8259).
 *
 * <p>A value is one of: {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Long} (integers), {@code Double} (other numbers), {@code Boolean}, or
 * {@code null}. Serialization is compact, like OVS's json_to_string() without flags.
 */
public final class Json {
    /** Objects and arrays nested deeper than this are rejected, as OVS does. */
    public static final int MAX_DEPTH = 1000;

    private Json() {
    }

    /** Parses exactly one JSON value from 'text', which may be surrounded by white space. */
    public static Object parse(String text) throws JsonException {
        Reader r = new Reader(text);
        r.skipSpace();
        Object v = r.value();
        r.skipSpace();
        if (r.pos != text.length()) {
            throw r.error("trailing garbage at end of input");
        }
        return v;
    }

    /** The compact text form of 'value'. */
    public static String toString(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    /** Appends the compact text form of 'value' to 'sb'. */
    public static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String) {
            writeString(sb, (String) value);
        } else if (value instanceof Map) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                writeString(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue());
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append('}');
        } else if (value instanceof List) {
            sb.append('[');
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            sb.append(value);
        } else if (value instanceof Double) {
            double d = (Double) value;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e17) {
                sb.append((long) d);
            } else {
                sb.append(d);
            }
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Appends 's' as a JSON string literal, escaping as OVS does. */
    public static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"':
                sb.append("\\\"");
                break;
            case '\\':
                sb.append("\\\\");
                break;
            case '\b':
                sb.append("\\b");
                break;
            case '\f':
                sb.append("\\f");
                break;
            case '\n':
                sb.append("\\n");
                break;
            case '\r':
                sb.append("\\r");
                break;
            case '\t':
                sb.append("\\t");
                break;
            default:
                if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Recursive-descent reader over complete text. */
    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        JsonException error(String why) {
            return new JsonException("syntax error at byte " + pos + ": " + why);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        /**
         * Parses one value. Iterative, with an explicit stack of open containers, so that input
         * nested up to {@link #MAX_DEPTH} cannot overflow a thread's stack.
         */
        Object value() throws JsonException {
            java.util.ArrayDeque<Object> open = new java.util.ArrayDeque<>();
            java.util.ArrayDeque<String> keys = new java.util.ArrayDeque<>();
            for (;;) {
                // Start of a value: a scalar completes at once; a container is opened.
                Object done;
                skipSpace();
                char c = peek();
                if (c == '{' || c == '[') {
                    pos++;
                    if (open.size() >= MAX_DEPTH) {
                        throw error("input exceeds maximum nesting depth " + MAX_DEPTH);
                    }
                    skipSpace();
                    if (c == '{') {
                        if (peek() == '}') {
                            pos++;
                            done = new LinkedHashMap<String, Object>();
                        } else {
                            open.push(new LinkedHashMap<String, Object>());
                            keys.push(memberName());
                            continue;
                        }
                    } else if (peek() == ']') {
                        pos++;
                        done = new ArrayList<Object>();
                    } else {
                        open.push(new ArrayList<Object>());
                        continue;
                    }
                } else {
                    done = scalar(c);
                }
                // A value is complete: add it to its container and close containers that end here.
                for (;;) {
                    if (open.isEmpty()) {
                        return done;
                    }
                    Object top = open.peek();
                    skipSpace();
                    char sep = peek();
                    pos++;
                    if (top instanceof Map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> map = (Map<String, Object>) top;
                        map.put(keys.pop(), done);
                        if (sep == ',') {
                            keys.push(memberName());
                            break;
                        } else if (sep != '}') {
                            pos--;
                            throw error("',' or '}' expected in object");
                        }
                    } else {
                        @SuppressWarnings("unchecked")
                        List<Object> list = (List<Object>) top;
                        list.add(done);
                        if (sep == ',') {
                            break;
                        } else if (sep != ']') {
                            pos--;
                            throw error("',' or ']' expected in array");
                        }
                    }
                    done = open.pop();
                }
            }
        }

        /** Reads an object member's name and the ':' after it. */
        private String memberName() throws JsonException {
            skipSpace();
            if (peek() != '"') {
                throw error("object member name must be a string");
            }
            String key = string();
            skipSpace();
            if (peek() != ':') {
                throw error("':' expected after object member name");
            }
            pos++;
            return key;
        }

        private Object scalar(char c) throws JsonException {
            switch (c) {
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("invalid character '" + printable(c) + "'");
            }
        }

        private Object literal(String word, Object v) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid keyword");
            }
            pos += word.length();
            return v;
        }

        private char peek() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos);
        }

        private String string() throws JsonException {
            pos++;
            StringBuilder sb = null;
            int start = pos;
            for (;;) {
                if (pos >= s.length()) {
                    throw error("unexpected end of input in quoted string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                    pos++;
                    return out;
                } else if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, start, pos);
                    pos++;
                    sb.append(escape());
                    start = pos;
                } else if (c < 0x20) {
                    throw error("U+" + String.format("%04X", (int) c) + " must be escaped in quoted string");
                } else {
                    pos++;
                }
            }
        }

        private char escape() throws JsonException {
            char c = peek();
            pos++;
            switch (c) {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (pos + 4 > s.length()) {
                    throw error("quoted string ends within \\u escape");
                }
                try {
                    char u = (char) Integer.parseInt(s.substring(pos, pos + 4), 16);
                    pos += 4;
                    return u;
                } catch (NumberFormatException e) {
                    throw error("malformed \\u escape");
                }
            default:
                throw error("bad escape \\" + printable(c));
            }
        }

        private Object number() throws JsonException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            boolean integer = true;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c >= '0' && c <= '9') {
                    pos++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integer = false;
                    pos++;
                } else {
                    break;
                }
            }
            String text = s.substring(start, pos);
            try {
                if (integer) {
                    if (text.length() > 1 && text.charAt(text.charAt(0) == '-' ? 1 : 0) == '0') {
                        throw error("leading zeros not allowed");
                    }
                    return Long.parseLong(text);
                }
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                if (integer) {
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e2) {
                        // fall through
                    }
                }
                throw error("malformed number " + text);
            }
        }

        private static String printable(char c) {
            return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
        }
    }
}
