package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The command-line side of netdev-dummy/receive. */
class DummyPacketTest {
    private static final String ETH = "eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07)";

    @Test
    void hexFramesHaveNoFlowAndFlowsKeepTheirMetadata() {
        DummyPacket.Result r = DummyPacket.parse(new String[] {"p1", "505400000007505400000005abcd",
            "in_port(5),skb_mark(3)," + ETH}, 1, 1, 1);
        assertNull(r.error());
        assertEquals(2, r.packets().size());
        assertNull(r.packets().get(0).flow());
        assertEquals(5, r.packets().get(1).flow().inPort);
        assertEquals(3, r.packets().get(1).flow().pktMark);
    }

    @Test
    void qidSelectsTheQueue() {
        DummyPacket.Result r = DummyPacket.parse(new String[] {"--qid", "2", ETH}, 0, 4, 1);
        assertEquals(2, r.rxQueue());
        assertEquals(1, r.packets().size());
        assertEquals("bad rx queue id.",
                DummyPacket.parse(new String[] {"--qid", "4", ETH}, 0, 4, 1).error());
    }

    @Test
    void packetsBeforeAnErrorAreKept() {
        DummyPacket.Result r = DummyPacket.parse(new String[] {ETH, "--len", "64", ETH, "--len"},
                0, 1, 1);
        assertEquals(1, r.packets().size());
        assertEquals(64, r.packets().get(0).frame().length);
        assertEquals("too small packet len", r.error());
    }

    @Test
    void strtolAsC() {
        assertEquals(12, DummyPacket.strtol(" +12abc"));
        assertEquals(0, DummyPacket.strtol("abc"));
        assertEquals(-5, DummyPacket.strtol("-5"));
        assertEquals(60, DummyPacket.strtol("4294967356"));
        assertEquals(-1, DummyPacket.strtol("99999999999999999999"));
    }

    @Test
    void hexNeedsWholeBytesAndAnEthernetHeader() {
        assertEquals(14, EthHex.parse(" 50540000000a\t5054000000091234\n").length);
        assertNull(EthHex.parse("50540000000a50540000000912"));
        assertNull(EthHex.parse("50540000000a5054000000091234 5"));
        assertNull(EthHex.parse("5054.0000000a5054000000091234"));
    }
}
