package org.jovs.vswitchd.odp;

import java.util.Arrays;

/**
 * A whole Ethernet frame written in hex, as OVS's eth_from_hex() reads it for
 * netdev-dummy/receive: pairs of hex digits (either case), with spaces, tabs, carriage returns
 * and newlines allowed between pairs (not inside one). Anything else, an odd digit out, or fewer
 * than 14 bytes makes it not a frame, and the caller then tries the flow syntax, as OVS does.
 */
public final class EthHex {
    private static final int ETH_HEADER_LEN = 14;

    private EthHex() {}

    /** The frame 's' spells, or null if it is not one. */
    public static byte[] parse(String s) {
        byte[] out = new byte[s.length() / 2];
        int n = 0;
        Cursor c = new Cursor(s, 0);
        for (;;) {
            c.skip(" \t\r\n");
            long b = c.hexits(2);
            if (b < 0) {
                break;
            }
            out[n++] = (byte) b;
        }
        if (c.pos < s.length() || n < ETH_HEADER_LEN) {
            return null;
        }
        return Arrays.copyOf(out, n);
    }
}
