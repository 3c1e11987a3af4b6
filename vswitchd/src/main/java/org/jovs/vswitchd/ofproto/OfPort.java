package org.jovs.vswitchd.ofproto;

/**
 * What OpenFlow shows of one bridge port at one moment: number (16-bit, {@code 0xfffe} for the
 * bridge's own port), device name and Ethernet address (low 48 bits), administrative state
 * (IFF_UP), carrier, and speed in bit/s (0 if unknown). A value: {@link Ofproto} compares
 * successive snapshots to send PORT_STATUS.
 */
public record OfPort(int number, String name, long mac, boolean adminUp, boolean carrier, long speedBps,
        boolean fullDuplex) {
}
