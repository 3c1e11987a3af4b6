package org.jovs.vswitchd.normal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.jovs.vswitchd.flow.FlowExtractor;
import org.jovs.vswitchd.flow.FlowKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * xlate_normal()'s decisions on crafted frames: flooding, learning, access and trunk ports, tags
 * added and removed, drops. The frame sender records what would be sent.
 */
class NormalSwitchTest {
    private static final String A = "0a0000000001";
    private static final String B = "0a0000000002";
    private static final String BCAST = "ffffffffffff";

    /** What was sent: port and frame as hex. */
    private final List<String> sent = new ArrayList<>();
    private final Set<Integer> down = new HashSet<>();
    private final MacLearningTable table = new MacLearningTable();
    private NormalSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new NormalSwitch("br0", table,
                (ofport, frame, len) -> sent.add(ofport + ":" + HexFormat.of().formatHex(frame, 0, len)),
                ofport -> !down.contains(ofport), () -> 1000);
    }

    private static NormalSwitch.Port access(int ofport, int tag) {
        return new NormalSwitch.Port("p" + ofport, new int[] {ofport}, tag, null);
    }

    private static NormalSwitch.Port trunk(int ofport, Integer... vlans) {
        BitSet b = null;
        if (vlans.length > 0) {
            b = new BitSet();
            for (int v : vlans) {
                b.set(v);
            }
        }
        return new NormalSwitch.Port("p" + ofport, new int[] {ofport}, -1, b);
    }

    private List<String> receive(int inPort, String hex) {
        sent.clear();
        byte[] f = HexFormat.of().parseHex(hex.replace(" ", ""));
        FlowKey k = new FlowKey();
        FlowExtractor.extract(f, f.length, inPort, k);
        sw.forward(k, f, f.length);
        return new ArrayList<>(sent);
    }

    /** Compares with the expected frames, written with spaces for legibility. */
    private static void assertSent(List<String> expected, List<String> actual, String... message) {
        List<String> e = expected.stream().map(x -> x.replace(" ", "")).toList();
        assertEquals(e, actual, message.length > 0 ? message[0] : null);
    }

    @Test
    void floodsUnknownThenForwardsToTheLearnedPort() {
        sw.setPorts(List.of(trunk(1), trunk(2), trunk(3), trunk(65534)));
        String toB = B + A + "0800 aa";
        assertSent(List.of("2:" + toB, "3:" + toB, "65534:" + toB), receive(1, toB));
        String toA = A + B + "0800 bb";
        assertSent(List.of("1:" + toA), receive(2, toA));
        assertSent(List.of("2:" + toB), receive(1, toB));
        // B moves to port 3.
        receive(3, toA);
        assertSent(List.of("3:" + toB), receive(1, toB));
        assertEquals(1, table.totalMoved());
        // A frame to a MAC learned on the input port goes nowhere.
        assertSent(List.of(), receive(3, B + "0a0000000009 0800"));
    }

    @Test
    void broadcastAndMulticastFloodAndReservedMulticastIsDropped() {
        sw.setPorts(List.of(trunk(1), trunk(2)));
        receive(2, A + B + "0800");
        String bcast = BCAST + A + "0806 00";
        assertSent(List.of("2:" + bcast), receive(1, bcast));
        String mcast = "01005e000001" + B + "0800";
        assertSent(List.of("1:" + mcast), receive(2, mcast));
        assertSent(List.of(), receive(1, "0180c2000000" + A + "0026 424203"));
        assertSent(List.of(), receive(1, "0180c200000e" + A + "88cc"));
    }

    @Test
    void accessPortsSeparateVlansAndTrunksCarryTags() {
        sw.setPorts(List.of(access(1, 10), access(2, 10), access(3, 20), trunk(4)));
        String untagged = BCAST + A + "0800 11";
        String tagged10 = BCAST + A + "8100 000a 0800 11";
        assertSent(List.of("2:" + untagged, "4:" + tagged10), receive(1, untagged));
        String tagged20 = BCAST + B + "8100 6014 0800 22";
        assertSent(List.of("3:" + BCAST + B + "0800 22"), receive(4, tagged20), "tag stripped, priority dropped");
        // A tagged frame on an access port is dropped.
        assertSent(List.of(), receive(1, BCAST + A + "8100 000a 0800"));
        // Priority-tagged (VID 0) frames are untagged ones.
        assertSent(List.of("2:" + untagged, "4:" + BCAST + A + "8100 a00a 0800 11"),
                receive(1, BCAST + A + "8100 a000 0800 11"));
        // Unicast learned in VLAN 10 from port 1: port 4 reaches it only in VLAN 10.
        assertSent(List.of("1:" + A + B + "0800"), receive(4, A + B + "8100 000a 0800"));
        assertSent(List.of("3:" + A + B + "0800"), receive(4, A + B + "8100 0014 0800"));
        // Untagged on a trunk is VLAN 0: no access port of 10 or 20 carries it.
        assertSent(List.of(), receive(4, BCAST + B + "0800"));
    }

    @Test
    void trunkListsLimitVlans() {
        sw.setPorts(List.of(trunk(1, 10), trunk(2, 0, 10, 20), access(3, 20)));
        assertSent(List.of(), receive(1, BCAST + A + "8100 0014 0800"), "VLAN 20 not trunked on port 1");
        assertSent(List.of(), receive(1, BCAST + A + "0800"), "VLAN 0 not trunked on port 1");
        assertSent(List.of("2:" + BCAST + A + "8100 000a 0800"), receive(1, BCAST + A + "8100 000a 0800"));
        assertSent(List.of("2:" + BCAST + A + "8100 0014 0800"), receive(3, BCAST + A + "0800"));
        assertSent(List.of("1:" + BCAST + B + "8100 000a 0800"), receive(2, BCAST + B + "8100 000a 0800"));
    }

    @Test
    void downPortsAndUnknownInputPortsAreSkipped() {
        sw.setPorts(List.of(trunk(1), trunk(2), trunk(3)));
        down.add(2);
        assertSent(List.of("3:" + BCAST + A + "0800"), receive(1, BCAST + A + "0800"));
        assertSent(List.of(), receive(9, BCAST + A + "0800"));
        assertSent(List.of(), receive(1, BCAST + A + "8100"), "partial VLAN tag");
    }

    @Test
    void forwardingAllocatesNothingPerFrame() {
        long[] sentBytes = new long[1];
        NormalSwitch counting = new NormalSwitch("br0", new MacLearningTable(),
                (ofport, frame, len) -> sentBytes[0] += len, ofport -> true, () -> 1000);
        counting.setPorts(List.of(access(1, 10), access(2, 10), trunk(3), trunk(65534)));
        byte[][] frames = {
            HexFormat.of().parseHex(B + A + "0800" + "45000014000000004001000001020304050607080000"),
            HexFormat.of().parseHex(A + B + "8100000a0800" + "45000014000000004001000001020304050607080000"),
            HexFormat.of().parseHex(BCAST + A + "0806" + "0001080006040001" + A + "0a000001" + "000000000000" + "0a000002"),
        };
        int[] inPorts = {1, 3, 2};
        FlowKey k = new FlowKey();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 20_000; i++) {
                int j = i % frames.length;
                FlowExtractor.extract(frames[j], frames[j].length, inPorts[j], k);
                counting.forward(k, frames[j], frames[j].length);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            // The first round warms up (class loading, the learned entries); the second must not allocate.
            if (round == 1) {
                assertTrue(allocated < 2048, allocated + " bytes allocated for 20,000 frames");
            }
        }
        assertTrue(sentBytes[0] > 0);
    }

    @Test
    void reconfigurationForgetsPortsThatWentOrChangedVlans() {
        sw.setPorts(List.of(trunk(1), trunk(2), trunk(3)));
        receive(1, BCAST + A + "0800");
        receive(2, BCAST + B + "0800");
        receive(3, BCAST + "0a0000000003" + "0800");
        assertEquals(3, table.size());
        sw.setPorts(List.of(trunk(1), access(2, 5)));
        assertEquals(1, table.size());
        assertEquals(1, table.lookup(0x0a0000000001L, 0));
    }
}
