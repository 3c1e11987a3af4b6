package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jovs.vswitchd.odp.OdpFlowDecoder.Fitness;
import org.junit.jupiter.api.Test;

/** Flow fields, metadata included, and fitness of decoded keys. */
class OdpFlowDecoderTest {
    private static final String ETH = "eth(src=50:54:00:00:00:05,dst=50:54:00:00:00:07)";

    private static OdpFlowDecoder.Decoded decode(String s, int vlanLimit) throws Exception {
        return OdpFlowDecoder.decode(OdpFlowParser.parse(s), vlanLimit);
    }

    @Test
    void metadataIsKeptWithTheFlow() throws Exception {
        OdpFlow f = decode("skb_priority(7),skb_mark(0x10),recirc_id(3),dp_hash(0x1234),"
                + "ct_state(+new+trk),ct_zone(5),ct_mark(9),ct_label(0x1000000000000000002),"
                + "tunnel(tun_id=0x7b,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(df)),in_port(9),"
                + ETH, 1).flow();
        assertEquals(9, f.inPort);
        assertEquals(7, f.skbPriority);
        assertEquals(0x10, f.pktMark);
        assertEquals(3, f.recircId);
        assertEquals(0x1234, f.dpHash);
        assertEquals(0x21, f.ctState);
        assertEquals(5, f.ctZone);
        assertEquals(9, f.ctMark);
        assertEquals(0x100, f.ctLabelHi);
        assertEquals(2, f.ctLabelLo);
        assertTrue(f.hasTunnel);
        assertEquals(0x7b, f.tunId);
        assertEquals(0x02020202, f.tunDst);
        assertEquals(64, f.tunTtl);
        assertEquals(OdpFlow.TNL_F_KEY | OdpFlow.TNL_F_DONT_FRAGMENT, f.tunFlags);
        assertEquals(OdpFlow.DL_TYPE_NONE, f.dlType);
    }

    @Test
    void withoutInPortThePortIsNone() throws Exception {
        assertEquals(OdpFlow.ODPP_NONE, decode(ETH, 1).flow().inPort);
    }

    @Test
    void fitnessComparesWhatTheProtocolsCallFor() throws Exception {
        String ip = ETH + ",eth_type(0x0800),ipv4(proto=6)";
        assertEquals(Fitness.PERFECT, decode(ip + ",tcp(src=1,dst=2)", 1).fitness());
        assertEquals(Fitness.TOO_LITTLE, decode(ip, 1).fitness());
        assertEquals(Fitness.TOO_MUCH, decode(ip + ",tcp(),udp()", 1).fitness());
    }

    @Test
    void vlanLimitDecidesHowManyHeadersAreDecoded() throws Exception {
        String qinq = ETH + ",eth_type(0x88a8),vlan(vid=1),encap(eth_type(0x8100),vlan(vid=2),"
                + "encap(eth_type(0x0800),ipv4(proto=17),udp()))";
        OdpFlowDecoder.Decoded one = decode(qinq, 1);
        assertEquals(Fitness.TOO_MUCH, one.fitness());
        assertEquals(0x8100, one.flow().dlType);
        assertArrayEquals(new int[] {0x1001, 0}, one.flow().vlanTci);
        OdpFlowDecoder.Decoded two = decode(qinq, 0);
        assertEquals(Fitness.PERFECT, two.fitness());
        assertEquals(0x0800, two.flow().dlType);
        assertArrayEquals(new int[] {0x88a8, 0x8100}, two.flow().vlanTpid);
        assertEquals(17, two.flow().nwProto);
    }

    @Test
    void ndFieldsShareTheArpAddresses() throws Exception {
        OdpFlow f = decode(ETH + ",eth_type(0x86dd),ipv6(proto=58),icmpv6(type=135,code=0),"
                + "nd(target=::1,sll=00:00:00:00:00:01,tll=00:00:00:00:00:02)", 1).flow();
        assertEquals(135, f.tpSrc);
        assertEquals(1, f.arpSha[5]);
        assertEquals(2, f.arpTha[5]);
        assertEquals(1, f.ndTarget[15]);
    }

    @Test
    void errorsCarryTheKeyAsOvsPrintsIt() {
        OdpParseException e = assertThrows(OdpParseException.class,
                () -> decode("in_port(1),eth_type(0x0100)", 1));
        assertEquals("invalid Ethertype 256 in flow key; the flow key in error is: "
                + "in_port(1),eth_type(0x0100)", e.getMessage());
    }
}
