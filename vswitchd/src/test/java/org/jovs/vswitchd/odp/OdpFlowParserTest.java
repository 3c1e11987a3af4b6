package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The attributes a flow string parses into, and what the parser refuses. */
class OdpFlowParserTest {
    @Test
    void attributesInOrderWithTheirValues() throws Exception {
        List<OdpAttr> key = OdpFlowParser.parse("in_port(7),eth(src=50:54:00:00:00:05,"
                + "dst=50:54:00:00:00:07),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,"
                + "tos=0x10,ttl=64,frag=first),tcp(src=80,dst=8080),tcp_flags(syn|ack)");
        assertEquals(6, key.size());
        assertEquals(new OdpAttr.Scalar(OdpKeyAttr.IN_PORT, 7), key.get(0));
        OdpAttr.Ethernet eth = (OdpAttr.Ethernet) key.get(1);
        assertArrayEquals(new byte[] {0x50, 0x54, 0, 0, 0, 5}, eth.src());
        assertEquals(new OdpAttr.Scalar(OdpKeyAttr.ETHERTYPE, 0x800), key.get(2));
        assertEquals(new OdpAttr.Ipv4(0x0a000001, 0x0a000002, 6, 0x10, 64, 1), key.get(3));
        assertEquals(new OdpAttr.Ports(OdpKeyAttr.TCP, 80, 8080), key.get(4));
        assertEquals(new OdpAttr.Scalar(OdpKeyAttr.TCP_FLAGS, 0x12), key.get(5));
    }

    @Test
    void fieldsRepeatOmitAndTruncateAsInC() throws Exception {
        List<OdpAttr> key = OdpFlowParser.parse("ipv4(proto=0x111,src=1.1.1.1,src=2.2.2.2,)");
        assertEquals(List.of(new OdpAttr.Ipv4(0x02020202, 0, 0x11, 0, 0, 0)), key);
    }

    @Test
    void singleValuesDropTheirMask() throws Exception {
        assertEquals(List.of(new OdpAttr.Scalar(OdpKeyAttr.SKB_MARK, 5),
                        new OdpAttr.Scalar(OdpKeyAttr.ETHERTYPE, 0x800)),
                OdpFlowParser.parse("skb_mark(5/0xff) eth_type(0x0800/0xff00)"));
    }

    @Test
    void vlanStartsWithCfiAndMplsStacksOnRepeatedFields() throws Exception {
        assertEquals(List.of(new OdpAttr.Scalar(OdpKeyAttr.VLAN, 0x1000 | 7 << 13 | 10)),
                OdpFlowParser.parse("vlan(vid=10,pcp=7)"));
        OdpAttr.Mpls m = (OdpAttr.Mpls) OdpFlowParser.parse("mpls(label=1,ttl=2,label=3,bos=1)")
                .get(0);
        assertArrayEquals(new int[] {1 << 12 | 2, 3 << 12 | 1 << 8}, m.lse());
    }

    @Test
    void encapNests() throws Exception {
        List<OdpAttr> key = OdpFlowParser.parse("encap(eth_type(0x0800) encap())");
        assertEquals(List.of(new OdpAttr.Encap(List.of(
                new OdpAttr.Scalar(OdpKeyAttr.ETHERTYPE, 0x800), new OdpAttr.Encap(List.of())))),
                key);
    }

    @Test
    void tunnelFieldsAndFlagsBecomeNestedAttributes() throws Exception {
        OdpAttr.Tunnel t = (OdpAttr.Tunnel) OdpFlowParser.parse(
                "tunnel(tun_id=0x7b,dst=1.2.3.4,ttl=64,flags(df|key))").get(0);
        assertEquals(List.of(OdpAttr.TunnelType.ID, OdpAttr.TunnelType.IPV4_DST,
                        OdpAttr.TunnelType.TTL, OdpAttr.TunnelType.DONT_FRAGMENT),
                t.attrs().stream().map(OdpAttr.TunnelAttr::type).toList());
    }

    @Test
    void errorsNameTheFailingTopLevelAttribute() {
        assertEquals("syntax error at ipv4(src=1.1.1.1/8)",
                assertThrows(OdpParseException.class,
                        () -> OdpFlowParser.parse("in_port(1),ipv4(src=1.1.1.1/8)")).getMessage());
        assertEquals("syntax error at x", assertThrows(OdpParseException.class,
                () -> OdpFlowParser.parse("in_port(1)x")).getMessage());
        assertEquals("syntax error at tunnel(geneve({class=0x1,type=0x2,len=4,0x1}),ttl=1)",
                assertThrows(OdpParseException.class, () -> OdpFlowParser.parse(
                        "tunnel(geneve({class=0x1,type=0x2,len=4,0x1}),ttl=1)")).getMessage());
    }

    @Test
    void theEmptyStringIsAnEmptyKey() throws Exception {
        assertEquals(List.of(), OdpFlowParser.parse(" ,\t"));
    }
}
