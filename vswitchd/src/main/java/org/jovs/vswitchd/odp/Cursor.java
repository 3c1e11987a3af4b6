package org.jovs.vswitchd.odp;

/**
 * A position in a string and the scanning primitives of OVS's ovs_scan() (lib/util.c), which
 * the datapath flow syntax is defined by: an integer conversion skips white space, takes an
 * optional sign, then "0x" (bases 0 and 16) or a leading "0" (base 0: octal), and keeps the low
 * bits of an out-of-range value instead of failing; "%[...]" takes the longest run of a set.
 *
 * <p>Each method either succeeds, advancing {@link #pos} (and setting {@link #value}), or fails
 * leaving {@link #pos} where it was. Past the end of the string reads as NUL, as in C.
 */
final class Cursor {
    final String s;
    int pos;
    /** The value of the last successful integer conversion, its low 64 bits. */
    long value;

    Cursor(String s, int pos) {
        this.s = s;
        this.pos = pos;
    }

    /** The character at {@code pos + off}, or NUL past the end. */
    char at(int off) {
        int i = pos + off;
        return i < s.length() ? s.charAt(i) : '\0';
    }

    char peek() {
        return at(0);
    }

    /** Consumes 'prefix' if the string continues with it (strncmp). */
    boolean lit(String prefix) {
        if (s.startsWith(prefix, pos)) {
            pos += prefix.length();
            return true;
        }
        return false;
    }

    /** C's isspace() in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    static int hexit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    void skipSpaces() {
        while (isSpace(peek())) {
            pos++;
        }
    }

    /** Skips the characters of 'set' (strspn). */
    void skip(String set) {
        while (pos < s.length() && set.indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    /**
     * An integer conversion: base 0 is "%i", 10 is "%u"/"%d", 16 is "%x". The caller truncates
     * {@link #value} to the width of the C type it scans into.
     */
    boolean scanInt(int base) {
        int start = pos;
        skipSpaces();
        boolean negative = peek() == '-';
        if (negative || peek() == '+') {
            pos++;
        }
        if ((base == 0 || base == 16) && peek() == '0' && (at(1) == 'x' || at(1) == 'X')) {
            base = 16;
            pos += 2;
        } else if (base == 0) {
            base = peek() == '0' ? 8 : 10;
        }
        long v = 0;
        int digits = 0;
        for (int d; (d = hexit(peek())) >= 0 && d < base; pos++, digits++) {
            v = v * base + d;
        }
        if (digits == 0) {
            pos = start;
            return false;
        }
        value = negative ? -v : v;
        return true;
    }

    /** Consumes 'c' if it is next: a literal in a format matches only itself, no white space. */
    boolean ch(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** "%N[set]": the longest run, at most 'width' characters, of 'set'; null if empty. */
    String scanSet(String set, int width) {
        int start = pos;
        while (pos - start < width && pos < s.length() && set.indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        return pos == start ? null : s.substring(start, pos);
    }

    /** The value of 'n' hex digits at the cursor (hexits_value), consumed; -1 if not all hex. */
    long hexits(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int d = hexit(at(i));
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        pos += n;
        return v;
    }
}
