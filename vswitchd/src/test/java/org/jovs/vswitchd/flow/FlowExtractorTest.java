package org.jovs.vswitchd.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Crafted frames of each kind, truncated and garbage frames: the fields OVS's flow_extract() finds. */
class FlowExtractorTest {
    private static final String DST = "0a0000000002";
    private static final String SRC = "0a0000000001";

    private static byte[] hex(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(HexFormat.of().parseHex(p.replace(" ", "")));
        }
        return out.toByteArray();
    }

    private static FlowKey extract(byte[] frame) {
        FlowKey k = new FlowKey();
        FlowExtractor.extract(frame, frame.length, 3, k);
        return k;
    }

    /** An IPv4 header with protocol 'proto', total length 'totLen', fragment field 'frag'. */
    private static String ipv4(int proto, int totLen, String frag) {
        return String.format("45b8%04x1234%s40%02x0000c0a80001c0a80002", totLen, frag, proto);
    }

    @Test
    void tcpOverIpv4() {
        byte[] f = hex(DST, SRC, "0800", ipv4(6, 40, "4000"), "d431 0050 00000001 00000000 5012 ffff 0000 0000");
        FlowKey k = extract(f);
        assertEquals(3, k.inPort);
        assertEquals(0x0a0000000002L, k.dlDst);
        assertEquals(0x0a0000000001L, k.dlSrc);
        assertEquals(0x0800, k.dlType);
        assertEquals(0, k.vlanTci);
        assertEquals(0xc0a80001, k.nwSrc);
        assertEquals(0xc0a80002, k.nwDst);
        assertEquals(6, k.nwProto);
        assertEquals(0xb8, k.nwTos);
        assertEquals(64, k.nwTtl);
        assertEquals(0, k.nwFrag);
        assertEquals(0xd431, k.tpSrc);
        assertEquals(80, k.tpDst);
        assertEquals(0x012, k.tcpFlags);
        assertEquals(14, k.l3Offset);
        assertEquals(34, k.l4Offset);
    }

    @Test
    void ipv4OptionsMoveTheTransportHeader() {
        byte[] f = hex(DST, SRC, "0800", "46000020 0000 0000 4011 0000 0a000001 0a000002", "01010100",
                "0035 0036 0008 0000");
        FlowKey k = extract(f);
        assertEquals(17, k.nwProto);
        assertEquals(38, k.l4Offset);
        assertEquals(53, k.tpSrc);
        assertEquals(54, k.tpDst);
    }

    @Test
    void ipv4Fragments() {
        byte[] first = hex(DST, SRC, "0800", ipv4(17, 28, "2000"), "0035 0036 0008 0000");
        FlowKey k = extract(first);
        assertEquals(FlowKey.FRAG_ANY, k.nwFrag);
        assertEquals(53, k.tpSrc);
        byte[] later = hex(DST, SRC, "0800", ipv4(17, 28, "0010"), "0035 0036 0008 0000");
        k = extract(later);
        assertEquals(FlowKey.FRAG_ANY | FlowKey.FRAG_LATER, k.nwFrag);
        assertEquals(17, k.nwProto);
        assertEquals(0, k.tpSrc);
        assertEquals(-1, k.l4Offset);
    }

    @Test
    void ipv4PaddingIsAllowedButATotalLengthBeyondTheFrameIsNot() {
        byte[] padded = hex(DST, SRC, "0800", ipv4(1, 28, "0000"), "0800 0000 0001 0001", "000000000000000000");
        FlowKey k = extract(padded);
        assertEquals(1, k.nwProto);
        assertEquals(8, k.tpSrc);
        byte[] bad = hex(DST, SRC, "0800", ipv4(1, 200, "0000"), "0800 0000 0001 0001");
        k = extract(bad);
        assertEquals(0x0800, k.dlType);
        assertEquals(0, k.nwProto);
        assertEquals(0, k.nwSrc);
    }

    @Test
    void vlanTagsAndQinQ() {
        byte[] f = hex(DST, SRC, "8100 a00a", "0806",
                "0001 0800 06 04 0001", SRC, "c0a80001", "000000000000", "c0a80002");
        FlowKey k = extract(f);
        assertEquals(0xa00a | FlowKey.VLAN_CFI, k.vlanTci);
        assertEquals(10, k.vlanId());
        assertEquals(0x0806, k.dlType);
        assertEquals(18, k.l3Offset);
        assertEquals(1, k.nwProto);
        assertEquals(0x0a0000000001L, k.arpSha);
        assertEquals(0, k.arpTha);
        assertEquals(0xc0a80001, k.nwSrc);
        assertEquals(0xc0a80002, k.nwDst);

        byte[] qinq = hex(DST, SRC, "88a8 0064", "8100 0014", "0800", ipv4(17, 28, "0000"), "0035 0036 0008 0000");
        k = extract(qinq);
        assertEquals(100 | FlowKey.VLAN_CFI, k.vlanTci);
        assertEquals(0x0800, k.dlType);
        assertEquals(22, k.l3Offset);
        assertEquals(53, k.tpSrc);
    }

    @Test
    void llcAndSnap() {
        byte[] stp = hex("0180c2000000", SRC, "0026", "424203 0000 00 00", "0000000000000000000000000000");
        FlowKey k = extract(stp);
        assertEquals(FlowKey.DL_TYPE_NONE, k.dlType);
        assertEquals(-1, k.l3Offset);
        byte[] snap = hex(DST, SRC, "0030", "aaaa03 000000 0800", ipv4(17, 28, "0000"), "0035 0036 0008 0000");
        k = extract(snap);
        assertEquals(0x0800, k.dlType);
        assertEquals(22, k.l3Offset);
        assertEquals(54, k.tpDst);
        byte[] otherOui = hex(DST, SRC, "0030", "aaaa03 00000c 2000", "00000000");
        assertEquals(FlowKey.DL_TYPE_NONE, extract(otherOui).dlType);
    }

    private static final String V6SRC = "fe800000000000000000000000000001";
    private static final String V6DST = "ff020000000000000000000000000002";

    @Test
    void ipv6WithExtensionHeaders() {
        // Hop-by-hop (8 bytes), destination options (16 bytes), then UDP.
        String udp = "0222 0223 0008 0000";
        String payload = "3c00 0000 0000 0000" + "1101 0000 0000 0000 0000 0000 0000 0000" + udp;
        int plen = payload.replace(" ", "").length() / 2;
        byte[] f = hex(DST, SRC, "86dd", String.format("6ab00000%04x0040", plen), V6SRC, V6DST, payload);
        FlowKey k = extract(f);
        assertEquals(0x86dd, k.dlType);
        assertEquals(0xab, k.nwTos);
        assertEquals(64, k.nwTtl);
        assertEquals(17, k.nwProto);
        assertEquals(0xfe80000000000000L, k.ipv6SrcHi);
        assertEquals(1, k.ipv6SrcLo);
        assertEquals(0xff02000000000000L, k.ipv6DstHi);
        assertEquals(2, k.ipv6DstLo);
        assertEquals(546, k.tpSrc);
        assertEquals(547, k.tpDst);
        assertEquals(14 + 40 + 24, k.l4Offset);
    }

    @Test
    void ipv6Fragments() {
        String first = "0600 0001 00000001" + "d431 0050 00000001 00000000 5002 ffff 0000 0000";
        byte[] f = hex(DST, SRC, "86dd", "60000000 001c 2c40", V6SRC, V6DST, first);
        FlowKey k = extract(f);
        assertEquals(FlowKey.FRAG_ANY, k.nwFrag);
        assertEquals(6, k.nwProto);
        assertEquals(0x002, k.tcpFlags);
        String later = "0600 0100 00000001" + "0000000000000000";
        k = extract(hex(DST, SRC, "86dd", "60000000 0010 2c40", V6SRC, V6DST, later));
        assertEquals(FlowKey.FRAG_ANY | FlowKey.FRAG_LATER, k.nwFrag);
        assertEquals(6, k.nwProto);
        assertEquals(0, k.tpSrc);
    }

    @Test
    void icmpv6NeighborSolicitation() {
        String ns = "8700 0000 00000000" + "fe800000000000000000000000000002" + "0101" + SRC;
        byte[] f = hex("3333ff000002", SRC, "86dd", "60000000 0020 3aff", V6SRC, V6DST, ns);
        FlowKey k = extract(f);
        assertEquals(58, k.nwProto);
        assertEquals(135, k.tpSrc);
        assertEquals(0, k.tpDst);
        assertEquals(0x0a0000000001L, k.arpSha);
        assertEquals(0, k.arpTha);
    }

    @Test
    void sctpAndIcmp() {
        byte[] sctp = hex(DST, SRC, "0800", ipv4(132, 32, "0000"), "0b59 0b5a 00000000 00000000");
        FlowKey k = extract(sctp);
        assertEquals(2905, k.tpSrc);
        assertEquals(2906, k.tpDst);
        byte[] icmp = hex(DST, SRC, "0800", ipv4(1, 28, "0000"), "0303 0000 00000000");
        k = extract(icmp);
        assertEquals(3, k.tpSrc);
        assertEquals(3, k.tpDst);
    }

    @Test
    void truncatedHeadersStopParsingWithoutThrowing() {
        byte[] full = hex(DST, SRC, "8100 0005", "0800", ipv4(6, 40, "0000"),
                "d431 0050 00000001 00000000 5012 ffff 0000 0000");
        for (int len = 0; len < full.length; len++) {
            FlowKey k = new FlowKey();
            FlowExtractor.extract(full, len, 1, k);
            if (len < 14) {
                assertEquals(0, k.dlType, "len " + len);
            }
            if (len < full.length) {
                assertEquals(0, k.tpSrc, "len " + len);
            }
        }
        // A TCP data offset past the segment.
        byte[] badOffset = hex(DST, SRC, "0800", ipv4(6, 40, "0000"), "d431 0050 00000001 00000000 f012 ffff 0000 0000");
        assertEquals(0, extract(badOffset).tpSrc);
        // 'len' beyond the array.
        FlowExtractor.extract(new byte[20], 100, 1, new FlowKey());
    }

    @Test
    void garbageNeverThrows() {
        Random r = new Random(42);
        FlowKey k = new FlowKey();
        String[] types = {"0800", "86dd", "0806", "8100", "88a8", "0030"};
        for (int i = 0; i < 20000; i++) {
            byte[] f = new byte[r.nextInt(120)];
            r.nextBytes(f);
            if (f.length >= 14 && r.nextBoolean()) {
                byte[] t = HexFormat.of().parseHex(types[r.nextInt(types.length)]);
                f[12] = t[0];
                f[13] = t[1];
                if (f.length > 14) {
                    f[14] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
                }
            }
            FlowExtractor.extract(f, f.length, 1, k);
        }
    }
}
