package org.jovs.vswitchd.odp;

import java.util.Arrays;

/**
 * IPv6 addresses as text, exactly as glibc's inet_pton() and inet_ntop() (which OVS uses) read
 * and write them: groups of at most four hex digits, one "::", an optional trailing dotted quad
 * (no leading zeros, each at most 255); output in lowercase with the longest run of two or more
 * zero groups as "::" and the IPv4-compatible and -mapped forms with a dotted quad.
 */
final class Inet6 {
    private Inet6() {}

    /** Parses 'text' into the 16 bytes of 'out'; false (with 'out' undefined) if invalid. */
    static boolean parse(String text, byte[] out) {
        int len = text.length();
        int i = 0;
        int tp = 0;
        int colonp = -1;
        if (i < len && text.charAt(i) == ':' && (++i >= len || text.charAt(i) != ':')) {
            return false;
        }
        int curtok = i;
        int val = 0;
        int digits = 0;
        while (i < len) {
            char ch = text.charAt(i++);
            int d = Cursor.hexit(ch);
            if (d >= 0) {
                if (digits == 4) {
                    return false;
                }
                val = (val << 4) | d;
                digits++;
            } else if (ch == ':') {
                curtok = i;
                if (digits == 0) {
                    if (colonp >= 0) {
                        return false;
                    }
                    colonp = tp;
                    continue;
                } else if (i >= len || tp + 2 > 16) {
                    return false;
                }
                out[tp++] = (byte) (val >> 8);
                out[tp++] = (byte) val;
                digits = 0;
                val = 0;
            } else if (ch == '.' && tp + 4 <= 16 && parseQuad(text.substring(curtok), out, tp)) {
                tp += 4;
                digits = 0;
                break;
            } else {
                return false;
            }
        }
        if (digits > 0) {
            if (tp + 2 > 16) {
                return false;
            }
            out[tp++] = (byte) (val >> 8);
            out[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return false;
            }
            int n = tp - colonp;
            System.arraycopy(out, colonp, out, 16 - n, n);
            Arrays.fill(out, colonp, 16 - n, (byte) 0);
            tp = 16;
        }
        return tp == 16;
    }

    /** glibc's inet_pton4() into out[at..at+3]. */
    private static boolean parseQuad(String text, byte[] out, int at) {
        int octets = 0;
        int cur = 0;
        boolean sawDigit = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
                int next = cur * 10 + (ch - '0');
                if ((sawDigit && cur == 0) || next > 255) {
                    return false;
                }
                cur = next;
                if (!sawDigit) {
                    if (++octets > 4) {
                        return false;
                    }
                    sawDigit = true;
                }
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return false;
                }
                out[at + octets - 1] = (byte) cur;
                cur = 0;
                sawDigit = false;
            } else {
                return false;
            }
        }
        if (octets < 4) {
            return false;
        }
        out[at + 3] = (byte) cur;
        return true;
    }

    /** The text of the 16 bytes at 'a'. */
    static String format(byte[] a) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                sb.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
                        .append(a[14] & 0xff).append('.').append(a[15] & 0xff);
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }
}
