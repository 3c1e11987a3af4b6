package org.jovs.vswitchd.bridge;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 48-bit Ethernet address, with the parsing and classification OVS uses to pick a bridge's
 * address and datapath ID. Immutable.
 */
record EthAddr(long value) {
    static final EthAddr ZERO = new EthAddr(0);

    /** "aa:bb:cc:dd:ee:ff" (1 or 2 hex digits per byte, as OVS's eth_addr_from_string), or null. */
    static EthAddr parse(String s) {
        if (s == null) {
            return null;
        }
        String[] parts = s.split(":", -1);
        if (parts.length != 6) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new EthAddr(v);
    }

    static EthAddr fromBytes(byte[] b) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return new EthAddr(v);
    }

    /**
     * The address OVS derives from a row UUID for a bridge's default address: the UUID's first six
     * bytes as they lie in memory (its first 32-bit word little-endian on x86), made unicast and
     * locally administered.
     */
    static EthAddr fromUuid(java.util.UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        int word0 = (int) (msb >>> 32);
        int word1 = (int) msb;
        byte[] b = {(byte) word0, (byte) (word0 >>> 8), (byte) (word0 >>> 16), (byte) (word0 >>> 24),
            (byte) word1, (byte) (word1 >>> 8)};
        b[0] = (byte) ((b[0] & ~1) | 2);
        return fromBytes(b);
    }

    byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    boolean isMulticast() {
        return (value & 0x0100_0000_0000L) != 0;
    }

    /** Broadcast, or the locally administered bit set. */
    boolean isLocal() {
        return value == 0xffff_ffff_ffffL || (value & 0x0200_0000_0000L) != 0;
    }

    boolean isZero() {
        return value == 0;
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(toBytes());
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    static boolean sameBytes(byte[] a, EthAddr b) {
        return a != null && Arrays.equals(a, b.toBytes());
    }
}
