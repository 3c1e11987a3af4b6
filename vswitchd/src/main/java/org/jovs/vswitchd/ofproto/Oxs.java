package org.jovs.vswitchd.ofproto;

import io.netty.buffer.ByteBuf;

/**
 * OpenFlow 1.5's OXS statistics (ofp_oxs_stat), as OVS's oxs_put_stats writes them for flow
 * and aggregate statistics and FLOW_REMOVED: a 4-byte header (reserved, length), then for each
 * known value an OXS field (class 0x8002) in the order duration, idle time, packet count, byte
 * count, flow count, then padding to 8 bytes. Pure logic.
 */
final class Oxs {
    private static final int OXS_CLASS = 0x8002;
    private static final int DURATION = 0;
    private static final int IDLE_TIME = 1;
    private static final int FLOW_COUNT = 3;
    private static final int PACKET_COUNT = 4;
    private static final int BYTE_COUNT = 5;

    private Oxs() {
    }

    /**
     * Appends the statistics; a negative argument is a value not said. 'durationMs' becomes
     * seconds and nanoseconds, 'idleSecs' whole seconds (OVS's idle age).
     */
    static void putStats(ByteBuf b, long durationMs, long idleSecs, long packets, long bytes, long flowCount) {
        int start = b.writerIndex();
        b.writeShort(0).writeShort(0);
        if (durationMs >= 0) {
            header(b, DURATION, 8).writeInt((int) (durationMs / 1000)).writeInt((int) (durationMs % 1000 * 1_000_000));
        }
        if (idleSecs >= 0) {
            header(b, IDLE_TIME, 8).writeInt((int) Math.min(idleSecs, 0xffff)).writeInt(0);
        }
        if (packets >= 0) {
            header(b, PACKET_COUNT, 8).writeLong(packets);
        }
        if (bytes >= 0) {
            header(b, BYTE_COUNT, 8).writeLong(bytes);
        }
        if (flowCount >= 0) {
            header(b, FLOW_COUNT, 4).writeInt((int) flowCount);
        }
        b.setShort(start + 2, b.writerIndex() - start);
        b.writeZero((8 - (b.writerIndex() - start) % 8) % 8);
    }

    private static ByteBuf header(ByteBuf b, int field, int len) {
        return b.writeInt(OXS_CLASS << 16 | field << 9 | len);
    }
}
