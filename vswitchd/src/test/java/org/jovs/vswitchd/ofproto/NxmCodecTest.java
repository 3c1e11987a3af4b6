package org.jovs.vswitchd.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The NXM codec: round trips, and the real `ovs-ofctl ofp-parse` (OVS's own decoder, offline)
 * reading an NXT_FLOW_MOD whose match our encoder wrote.
 */
class NxmCodecTest {
    private static FlowMatch sample() {
        return new FlowMatch().setExact(FlowField.IN_PORT, 2).setExact(FlowField.DL_TYPE, 0x0800)
                .set(FlowField.DL_SRC, 0x0a0000000001L, 0xffffffffff00L).setExact(FlowField.NW_PROTO, 6)
                .set(FlowField.NW_DST, 0x0a000000, 0xffffff00L).setExact(FlowField.TP_DST, 80)
                .set(FlowField.VLAN_TCI, 0x1005, 0x1fff).setExact(FlowField.REG3, 0x55);
    }

    @Test
    void roundTrip() throws Exception {
        FlowMatch m = sample();
        ByteBuf b = Unpooled.buffer();
        int len = NxmCodec.encode(m, b);
        NxmCodec.Decoded d = NxmCodec.decode(b, len);
        assertEquals(m, d.match());
        assertEquals(0, d.cookieMask());
    }

    @Test
    void cookieAndTosDecode() throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(NxmCodec.header(1, 30, true, 8)).writeLong(5).writeLong(-1);
        b.writeInt(NxmCodec.header(0, 3, false, 2)).writeShort(0x0800);
        b.writeInt(NxmCodec.header(0, 5, false, 1)).writeByte(0x28);
        NxmCodec.Decoded d = NxmCodec.decode(b, b.readableBytes());
        assertEquals(5, d.cookie());
        assertEquals(-1, d.cookieMask());
        assertEquals(0x28, d.match().value(FlowField.NW_TOS));
        assertEquals(0xfc, d.match().mask(FlowField.NW_TOS));
    }

    @Test
    void unknownFieldIsBadField() {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(NxmCodec.header(0x7777, 1, false, 2)).writeShort(1);
        assertEquals(OfError.BAD_MATCH_FIELD,
                assertThrows(OfError.OfErrorException.class, () -> NxmCodec.decode(b, 6)).error);
        ByteBuf truncated = Unpooled.buffer();
        truncated.writeInt(NxmCodec.header(0, 0, false, 2)).writeByte(1);
        assertEquals(OfError.BAD_LEN,
                assertThrows(OfError.OfErrorException.class, () -> NxmCodec.decode(truncated, 5)).error);
    }

    @Test
    void ovsOfctlDecodesOurEncoding() throws Exception {
        ByteBuf msg = OfWire.startNx(OfWire.OF10, 7, OfWire.NXT_FLOW_MOD);
        msg.writeLong(0x1234).writeShort(0).writeShort(0).writeShort(0).writeShort(100).writeInt(-1)
                .writeShort(OfPorts.NONE).writeShort(0);
        int matchLenAt = msg.writerIndex();
        msg.writeShort(0).writeZero(6);
        int len = NxmCodec.encode(sample(), msg);
        msg.setShort(matchLenAt, len);
        msg.writeZero((8 - len % 8) % 8);
        msg.writeShort(0).writeShort(8).writeShort(1).writeShort(0); // output:1
        Path file = Files.createTempFile("nxm", ".of");
        try {
            Files.write(file, OfWire.finish(msg));
            Process p = new ProcessBuilder("/usr/bin/ovs-ofctl", "ofp-parse", file.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("NXT_FLOW_MOD"), out);
            assertTrue(out.contains("priority=100,tcp,reg3=0x55,in_port=2,dl_vlan=5,dl_src=0a:00:00:00:00:00/ff:ff:ff:ff:ff:00,"
                    + "nw_dst=10.0.0.0/24,tp_dst=80 cookie:0x1234 actions=output:1"), out);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
