package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Frames composed from flows, checked field by field. */
class PacketComposerTest {
    private static byte[] compose(String flow, int size) throws Exception {
        OdpFlow f = OdpFlowDecoder.decode(OdpFlowParser.parse(flow), 0).flow();
        return PacketComposer.compose(f, size);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    /** The ones' complement sum of b[off, off+len) folded: 0xffff when a checksum is right. */
    private static int sum(byte[] b, int off, int len, long start) {
        long s = start;
        for (int i = 0; i < len; i += 2) {
            s += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while (s >> 16 != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }

    @Test
    void udpOverIpv4WithTheDefaultPayload() throws Exception {
        byte[] f = compose("eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),udp(src=1,dst=2)", 0);
        assertEquals(14 + 20 + 8 + 64, f.length);
        assertEquals("000000000002000000000001080045", HexFormat.of().formatHex(f, 0, 15));
        assertEquals(20 + 8 + 64, u16(f, 16));
        assertEquals(0xffff, sum(f, 14, 20, 0));
        assertEquals(8 + 64, u16(f, 38));
        long pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 72;
        assertEquals(0xffff, sum(f, 34, 72, pseudo));
        assertEquals(63, f[f.length - 1]);
    }

    @Test
    void expandingUdpCountsTheAddedBytesTwiceInItsLength() throws Exception {
        byte[] f = compose("eth_type(0x0800),ipv4(proto=17),udp(src=1,dst=2)", 100);
        assertEquals(100, f.length);
        assertEquals(86, u16(f, 16));
        assertEquals(66 + 58, u16(f, 38));
    }

    @Test
    void synHasNoPayloadAndSctpNoChecksum() throws Exception {
        assertEquals(54, compose("eth_type(0x0800),ipv4(proto=6),tcp(),tcp_flags(syn)", 0).length);
        byte[] sctp = compose("eth_type(0x0800),ipv4(proto=132),sctp(src=1,dst=2)", 0);
        assertEquals(14 + 20 + 12, sctp.length);
        assertEquals(0, u16(sctp, 42) | u16(sctp, 44));
    }

    @Test
    void vlanTagsAreWrittenWithoutCfiOutermostFirst() throws Exception {
        byte[] f = compose("eth_type(0x88a8),vlan(vid=1,pcp=2),encap(eth_type(0x8100),vlan(vid=3),"
                + "encap(eth_type(0x0806),arp(op=1)))", 0);
        assertEquals("88a84001" + "81000003" + "0806", HexFormat.of().formatHex(f, 12, 22));
        assertEquals(14 + 8 + 28, f.length);
    }

    @Test
    void mplsLabelsUpToBottomOfStack() throws Exception {
        byte[] f = compose("eth_type(0x8847),mpls(label=1,bos=0,label=2,bos=1)", 0);
        assertEquals("8847" + "00001000" + "00002100", HexFormat.of().formatHex(f, 12, 22));
    }

    @Test
    void an8022FrameCarriesItsLength() throws Exception {
        assertEquals(14, u16(compose("", 0), 12));
        assertEquals(80, u16(compose("", 80), 12));
    }

    @Test
    void tooLongForTheSizeAsked() throws Exception {
        assertNull(compose("eth_type(0x86dd),ipv6(proto=6),tcp()", 70));
    }
}
