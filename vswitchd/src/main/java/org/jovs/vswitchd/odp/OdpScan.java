package org.jovs.vswitchd.odp;

import java.util.function.IntFunction;

/**
 * The field scanners of the datapath flow syntax, as OVS's scan_*() in lib/odp-util.c: each reads
 * one value at the cursor and, where 'masked' says the attribute allows it, an optional
 * "/MASK", which is checked and then dropped (netdev-dummy parses a key without a mask). On
 * failure each returns false; the cursor is then of no further use, since a failed field fails
 * its whole attribute.
 *
 * <p>Where OVS scans into a narrow C type, the value keeps only the low bits: "proto=273" is 17.
 */
final class OdpScan {
    private OdpScan() {}

    /** An unsigned integer of 'bits' bits ("%i" into uint8_t ... uint64_t) into {@code c.value}. */
    static boolean uint(Cursor c, int bits, boolean masked) {
        if (!c.scanInt(0)) {
            return false;
        }
        long key = truncate(c.value, bits);
        if (masked) {
            int save = c.pos;
            if (!(c.ch('/') && c.scanInt(0))) {
                c.pos = save;
            }
        }
        c.value = key;
        return true;
    }

    static long truncate(long v, int bits) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    /** ETH_ADDR_SCAN_FMT: six "%hhx" separated by colons. */
    static boolean eth(Cursor c, byte[] out) {
        for (int i = 0; i < 6; i++) {
            if ((i > 0 && !c.ch(':')) || !c.scanInt(16)) {
                return false;
            }
            out[i] = (byte) c.value;
        }
        return true;
    }

    /** IP_SCAN_FMT: four "%hhu" separated by dots, into {@code c.value} as a 32-bit address. */
    static boolean ipv4(Cursor c, boolean masked) {
        if (!dottedQuad(c)) {
            return false;
        }
        long key = c.value;
        if (masked) {
            int save = c.pos;
            if (!(c.ch('/') && dottedQuad(c))) {
                c.pos = save;
            }
        }
        c.value = key;
        return true;
    }

    private static boolean dottedQuad(Cursor c) {
        long addr = 0;
        for (int i = 0; i < 4; i++) {
            if ((i > 0 && !c.ch('.')) || !c.scanInt(10)) {
                return false;
            }
            addr = (addr << 8) | (c.value & 0xff);
        }
        c.value = addr;
        return true;
    }

    /** IPV6_SCAN_FMT (up to 46 of [0-9a-fA-F:.]) then inet_pton() into 'out'. */
    static boolean in6(Cursor c, byte[] out, boolean masked) {
        String text = c.scanSet(IPV6_CHARS, 46);
        if (text == null || !Inet6.parse(text, out)) {
            return false;
        }
        if (masked) {
            int save = c.pos;
            String mask = c.ch('/') ? c.scanSet(IPV6_CHARS, 46) : null;
            if (mask == null || !Inet6.parse(mask, new byte[16])) {
                c.pos = save;
            }
        }
        return true;
    }

    private static final String IPV6_CHARS = "0123456789abcdefABCDEF:.";

    /** A flow label: "%i" into an int that must fit in 20 bits. */
    static boolean ipv6Label(Cursor c) {
        if (!c.scanInt(0) || (truncate(c.value, 32) & ~0xfffffL) != 0) {
            return false;
        }
        c.value = truncate(c.value, 32);
        return true;
    }

    /** frag=no|first|later ("%7[a-z]"), into {@code c.value} as the ODP fragment type. */
    static boolean frag(Cursor c) {
        String word = c.scanSet("abcdefghijklmnopqrstuvwxyz", 7);
        int type = word == null ? -1 : switch (word) {
            case "no" -> 0;
            case "first" -> 1;
            case "later" -> 2;
            default -> -1;
        };
        c.value = type;
        return type >= 0;
    }

    /**
     * A bit field of a 16- or 32-bit word (VLAN vid/pcp/cfi, MPLS label/tc/ttl/bos): the number,
     * which must fit in 'bits', replaces those bits of 'word' at 'shift'; the new word goes to
     * {@code c.value}.
     */
    static boolean bitField(Cursor c, long word, int wordBits, int bits, int shift) {
        if (!c.scanInt(0)) {
            return false;
        }
        long v = truncate(c.value, wordBits);
        if (v >>> bits != 0) {
            return false;
        }
        long fieldMask = ((1L << bits) - 1) << shift;
        c.value = (word & ~fieldMask) | (v << shift);
        return true;
    }

    /** in_port: a number (port names are not known to netdev-dummy). */
    static boolean port(Cursor c) {
        return uint(c, 32, true);
    }

    /** ct_label: a 128-bit number (parse_int_string), then an optional mask, into {hi, lo}. */
    static boolean u128(Cursor c, long[] out) {
        if (!int128(c, out)) {
            return false;
        }
        long hi = out[0];
        long lo = out[1];
        if (c.ch('/') && !int128(c, out)) {
            return false;
        }
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    /**
     * parse_int_string() into 16 bytes: "0x" then any number of hex digits (blanks between them
     * are skipped, leading zeros ignored, more than 32 significant ones is an error), or else a
     * number as strtoull() reads it, which must fit in 64 bits.
     */
    private static boolean int128(Cursor c, long[] out) {
        if (c.lit("0x") || c.lit("0X")) {
            long hi = 0;
            long lo = 0;
            int n = 0;
            for (;;) {
                c.skip(" \t\r\n");
                int d = Cursor.hexit(c.peek());
                if (d < 0) {
                    break;
                }
                if (d != 0 || n > 0) {
                    if ((n + 2) / 2 > 16) {
                        return false;
                    }
                    hi = (hi << 4) | (lo >>> 60);
                    lo = (lo << 4) | d;
                    n++;
                }
                c.pos++;
            }
            out[0] = hi;
            out[1] = lo;
            return true;
        }
        Long v = strtoull(c);
        if (v == null) {
            return false;
        }
        out[0] = 0;
        out[1] = v;
        return true;
    }

    /** C's strtoull(s, &tail, 0): null when there are no digits or the value overflows. */
    private static Long strtoull(Cursor c) {
        int start = c.pos;
        c.skipSpaces();
        boolean negative = c.peek() == '-';
        if (negative || c.peek() == '+') {
            c.pos++;
        }
        int base = 10;
        if (c.peek() == '0' && (c.at(1) == 'x' || c.at(1) == 'X') && Cursor.hexit(c.at(2)) >= 0) {
            base = 16;
            c.pos += 2;
        } else if (c.peek() == '0') {
            base = 8;
        }
        long v = 0;
        int digits = 0;
        for (int d; (d = Cursor.hexit(c.peek())) >= 0 && d < base; c.pos++, digits++) {
            long next = v * base + d;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, base)) > 0
                    || Long.compareUnsigned(next, v * base) < 0) {
                return null;
            }
            v = next;
        }
        if (digits == 0) {
            c.pos = start;
            return null;
        }
        return negative ? -v : v;
    }

    /** Names of TCP flag bits (packet_tcp_flag_to_string). */
    static String tcpFlagName(int bit) {
        return switch (bit) {
            case 0x001 -> "fin";
            case 0x002 -> "syn";
            case 0x004 -> "rst";
            case 0x008 -> "psh";
            case 0x010 -> "ack";
            case 0x020 -> "urg";
            case 0x040 -> "ece";
            case 0x080 -> "cwr";
            case 0x100 -> "ns";
            case 0x200 -> "[200]";
            case 0x400 -> "[400]";
            case 0x800 -> "[800]";
            default -> null;
        };
    }

    /** Names of the datapath's conntrack state bits (odp_ct_state_to_string). */
    static String ctStateName(int bit) {
        return switch (bit) {
            case 0x01 -> "new";
            case 0x02 -> "est";
            case 0x04 -> "rel";
            case 0x08 -> "rpl";
            case 0x10 -> "inv";
            case 0x20 -> "trk";
            case 0x40 -> "snat";
            case 0x80 -> "dnat";
            default -> null;
        };
    }

    /** Names of tunnel flag bits (flow_tun_flag_to_string). */
    static String tunFlagName(int bit) {
        return switch (bit) {
            case OdpFlow.TNL_F_OAM -> "oam";
            case OdpFlow.TNL_F_DONT_FRAGMENT -> "df";
            case OdpFlow.TNL_F_CSUM -> "csum";
            case OdpFlow.TNL_F_KEY -> "key";
            default -> null;
        };
    }

    /**
     * OVS's parse_flags() with a mask, up to (not over) the closing parenthesis, into
     * {@code c.value}: "VALUE/MASK" in numbers, or "+name-name...", or names and numbers
     * separated by '|', each setting its bits (the masks are dropped). A name or bit outside
     * 'allowed' fails. Returns the number of characters read, or -1.
     */
    static int flags(Cursor c, IntFunction<String> names, long allowed) {
        int start = c.pos;
        if (c.scanInt(0)) {
            long v = truncate(c.value, 32);
            if (c.ch('/') && c.scanInt(0)) {
                if ((v & ~allowed) != 0 || (truncate(c.value, 32) & ~allowed) != 0) {
                    return -1;
                }
                c.value = v;
                return c.pos - start;
            }
            c.pos = start;
        }
        if (c.peek() == '+' || c.peek() == '-') {
            long value = 0;
            long mask = 0;
            while (c.peek() != ')') {
                boolean set = c.peek() == '+';
                if (!set && c.peek() != '-') {
                    return -1;
                }
                c.pos++;
                int bit = nameAt(c, names, "+-)");
                if (bit == 0 || (mask & bit) != 0 || (bit & allowed) == 0) {
                    return -1;
                }
                value |= set ? bit : 0;
                mask |= bit;
                c.pos += names.apply(bit).length();
            }
            c.value = value;
            return c.pos - start;
        }
        long result = 0;
        while (c.peek() != ')') {
            int save = c.pos;
            if (c.scanInt(0)) {
                // "%lli" then a check against a 32-bit complement, so bits above 31 slip through
                // the check, and then out of the 32-bit result.
                if ((c.value & (~allowed & 0xffffffffL)) != 0) {
                    return -1;
                }
                result |= truncate(c.value, 32);
                c.ch('|');
                continue;
            }
            c.pos = save;
            int bit = nameAt(c, names, "|)");
            if (bit == 0 || (bit & allowed) == 0) {
                return -1;
            }
            result |= bit;
            c.pos += names.apply(bit).length();
            c.ch('|');
        }
        c.value = result;
        return c.pos - start;
    }

    /** The lowest bit whose name is at the cursor followed by one of 'ends', or 0. */
    private static int nameAt(Cursor c, IntFunction<String> names, String ends) {
        for (int i = 0; i < 32; i++) {
            String name = names.apply(1 << i);
            if (name != null && c.s.startsWith(name, c.pos)
                    && ends.indexOf(c.at(name.length())) >= 0) {
                return 1 << i;
            }
        }
        return 0;
    }
}
