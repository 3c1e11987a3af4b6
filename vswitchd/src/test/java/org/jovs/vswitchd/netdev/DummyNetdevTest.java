package org.jovs.vswitchd.netdev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** netdev-dummy's behaviour, as OVS's tests rely on it, without a daemon. */
class DummyNetdevTest {
    private int changes;
    private final DummyNetdevs dummies = new DummyNetdevs(() -> changes++);

    private static byte[] frame(int len, int ethType) {
        byte[] f = new byte[len];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        f[12] = (byte) (ethType >> 8);
        f[13] = (byte) ethType;
        return f;
    }

    @Test
    void addressesAreNumberedInCreationOrder() {
        assertEquals("aa:55:aa:55:00:00", dummies.create("ovs-dummy", "dummy-internal").address());
        assertEquals("aa:55:aa:55:00:01", dummies.create("br0", "dummy-internal").address());
        DummyNetdev p1 = dummies.create("p1", "dummy");
        assertEquals("aa:55:aa:55:00:02", p1.address());
        p1.setMac(new byte[] {0x50, 0x54, 0, 0, 0, 1});
        assertEquals("50:54:00:00:00:01", p1.address());
        assertEquals(1500, p1.mtu());
        assertTrue(p1.isUp() && p1.carrier());
        assertEquals(0, p1.ifindex());
    }

    @Test
    void framesAreQueuedOnlyWhileADatapathReadsAndAtMostAHundred() {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        p1.queue(frame(60, 0x0800));
        assertFalse(p1.hasRx());
        p1.openRx();
        for (int i = 0; i < DummyNetdev.MAX_QUEUE + 5; i++) {
            p1.queue(frame(60 + i, 0x0800));
        }
        byte[] buf = new byte[2048];
        int n = 0;
        while (p1.receive(buf) >= 0) {
            n++;
        }
        assertEquals(DummyNetdev.MAX_QUEUE, n);
        assertEquals(100L, p1.statistics().get("rx_packets"));
        assertEquals(List.of("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_custom_packets_1",
                "rx_custom_packets_2", "rx_q0_bytes", "rx_q0_packets", "tx_q0_bytes", "tx_q0_packets"),
                List.copyOf(p1.statistics().keySet()));
    }

    @Test
    void sendChecksTheLengthAgainstTheMtu() throws Exception {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        assertFalse(p1.send(new byte[13], 13));
        assertTrue(p1.send(frame(1514, 0x0800), 1514));
        assertFalse(p1.send(frame(1515, 0x0800), 1515));
        assertTrue(p1.send(frame(1518, 0x8100), 1518));
        assertThrows(java.io.IOException.class, () -> p1.setMtu(67));
        p1.setMtu(9000);
        assertTrue(p1.send(frame(9014, 0x0800), 9014));
        Map<String, Long> s = p1.statistics();
        assertEquals(3L, s.get("tx_packets"));
        assertEquals(1514L + 1518 + 9014, s.get("tx_bytes"));
    }

    @Test
    void pcapFilesGetAHeaderThenOneRecordPerFrame(@TempDir Path dir) throws Exception {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        Path tx = dir.resolve("p1-tx.pcap");
        Path rx = dir.resolve("p1-rx.pcap");
        p1.setOptions(Map.of("tx_pcap", tx.toString(), "rxq_pcap", rx.toString()));
        byte[] f = frame(64, 0x0806);
        p1.send(f, 60);
        p1.queue(frame(70, 0x0800));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(tx)).order(ByteOrder.nativeOrder());
        assertEquals(24 + 16 + 60, b.limit());
        assertEquals(0xa1b2c3d4, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(1518, b.getInt(16));
        assertEquals(1, b.getInt(20));
        assertEquals(60, b.getInt(24 + 8));
        assertEquals(60, b.getInt(24 + 12));
        assertArrayEquals(Arrays.copyOf(f, 60), Arrays.copyOfRange(b.array(), 40, 100));
        assertEquals(24 + 16 + 70, Files.size(rx));
        // The same options again leave the files as they are; new ones append.
        p1.setOptions(Map.of("tx_pcap", tx.toString(), "rxq_pcap", rx.toString()));
        p1.send(f, 60);
        assertEquals(24 + 2 * (16 + 60), Files.size(tx));
    }

    @Test
    void answersArpRequestsForItsAddress() {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        p1.openRx();
        assertNull(DummyNetdevs.setIpv4(p1, "10.0.0.1/24"));
        assertEquals(0xffffff00, p1.ipv4Mask());
        // who-has 10.0.0.1 tell 10.0.0.2, from 50:54:00:00:00:02.
        byte[] req = HexFormat.of().parseHex("ffffffffffff505400000002080600010800060400015054000000020a000002"
                + "0000000000000a000001");
        assertTrue(p1.send(req, req.length));
        byte[] buf = new byte[100];
        int n = p1.receive(buf);
        assertEquals("505400000002aa55aa5500000806000108000604000" + "2aa55aa5500000a000001505400000002"
                + "0a000002", HexFormat.of().formatHex(buf, 0, n));
        // Not for its address: no answer.
        req[41] = 9;
        p1.send(req, req.length);
        assertFalse(p1.hasRx());
    }

    @Test
    void addressCommandsGiveOvsErrors() {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        assertEquals("10.0.0.300: invalid IP address", DummyNetdevs.setIpv4(p1, "10.0.0.300"));
        assertEquals("10.0.0.1/33: IPv4 network prefix bits not between 0 and 32, inclusive",
                DummyNetdevs.setIpv4(p1, "10.0.0.1/33"));
        assertEquals("foo: invalid IP address", DummyNetdevs.setIpv4(p1, "foo"));
        assertNull(DummyNetdevs.setIpv4(p1, "10.0.0.1/255.255.0.0"));
        assertEquals(0xffff0000, p1.ipv4Mask());
        assertNull(DummyNetdevs.setIpv6(p1, "fe80::1/64"));
        assertEquals("fe80::1/129: IPv6 network prefix bits not between 0 and 128, inclusive",
                DummyNetdevs.setIpv6(p1, "fe80::1/129"));
        assertEquals("host.example: invalid IPv6 address", DummyNetdevs.setIpv6(p1, "host.example"));
    }

    @Test
    void destroyedDevicesAreGone() {
        DummyNetdev p1 = dummies.create("p1", "dummy");
        int before = changes;
        dummies.destroy(p1);
        assertNull(dummies.get("p1"));
        assertTrue(changes > before);
    }

    @Test
    void devicesJoinedByStreamsCarryFramesBothWays(@TempDir Path dir) throws Exception {
        DummyNetdev a = dummies.create("p1", "dummy");
        DummyNetdev b = dummies.create("p2", "dummy");
        a.openRx();
        b.openRx();
        String sock = dir.resolve("p0.sock").toString();
        a.setOptions(Map.of("pstream", "punix:" + sock));
        b.setOptions(Map.of("stream", "unix:" + sock));
        assertNull(a.connState());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"connected".equals(b.connState()) && System.currentTimeMillis() < deadline) {
            dummies.run();
        }
        assertEquals("connected", b.connState());
        byte[] f = frame(60, 0x0800);
        f[59] = 42;
        // The passive side must have accepted before it can send: run until both directions work.
        byte[] buf = new byte[2048];
        int got = -1;
        while (got < 0 && System.currentTimeMillis() < deadline) {
            b.send(f, 60);
            dummies.run();
            got = a.receive(buf);
        }
        assertEquals(60, got);
        assertEquals(42, buf[59]);
        a.send(f, 60);
        got = -1;
        while (got < 0 && System.currentTimeMillis() < deadline) {
            dummies.run();
            got = b.receive(buf);
        }
        assertEquals(60, got);
        dummies.destroy(a);
        while ("connected".equals(b.connState()) && System.currentTimeMillis() < deadline) {
            dummies.run();
        }
        assertEquals("disconnected", b.connState());
    }
}
