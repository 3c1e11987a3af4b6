package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jovs.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rtnetlink link and address dumps in a private namespace, checked against ip(8)'s JSON output. */
class LinkDumpTest {
    private static TestNamespace ns;
    private static NlSocket sock;
    private static Rtnetlink rtnl;

    @BeforeAll
    static void setUp() throws Exception {
        ns = new TestNamespace();
        ns.ip("link", "add", "va0", "type", "veth", "peer", "name", "vb0");
        ns.ip("link", "add", "va1", "mtu", "9000", "type", "veth", "peer", "name", "vb1");
        ns.ip("link", "set", "va1", "address", "02:11:22:33:44:55", "up");
        ns.ip("link", "set", "vb1", "up");
        ns.ip("link", "set", "lo", "up");
        ns.ip("tuntap", "add", "dev", "tp0", "mode", "tap");
        ns.ip("addr", "add", "192.0.2.1/24", "dev", "va1");
        ns.ip("addr", "add", "2001:db8::1/64", "dev", "va1", "nodad");
        sock = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        rtnl = new Rtnetlink(sock);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (sock != null) {
            sock.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void aDecoderFailingMidDumpRaisesAfterTheDumpAndTheSocketStaysUsable() throws Exception {
        int[] seen = {0};
        NlParseException e = assertThrows(NlParseException.class, () -> sock.dump(Rtnetlink.linkDumpRequest(), m -> {
            if (++seen[0] == 2) {
                throw new NlParseException("second link refused");
            }
            return m;
        }));
        assertEquals("second link refused", e.getMessage());
        assertEquals(2, seen[0], "decoding stops at the first error");
        assertEquals(6, rtnl.dumpLinks().size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void linkDumpEqualsIpLinkShow() throws Exception {
        List<Object> ipLinks = (List<Object>) Json.parse(ns.ip("-j", "-d", "link", "show"));
        List<RtLink> links = rtnl.dumpLinks();
        assertEquals(6, links.size(), "lo, two veth pairs and a tap: " + links);
        Map<Integer, RtLink> byIndex = new HashMap<>();
        for (RtLink l : links) {
            byIndex.put(l.ifindex(), l);
        }
        assertEquals(ipLinks.size(), links.size());
        for (int i = 0; i < links.size(); i++) {
            Map<String, Object> want = (Map<String, Object>) ipLinks.get(i);
            RtLink got = links.get(i);
            String what = got.name();
            assertEquals(((Long) want.get("ifindex")).intValue(), got.ifindex(), what);
            assertEquals(want.get("ifname"), got.name(), what);
            assertEquals(((Long) want.get("mtu")).intValue(), got.mtu(), what);
            assertEquals(want.get("flags"), ipFlags(got, byIndex), what);
            assertEquals(want.get("address"), got.address(), what);
            Map<String, Object> info = (Map<String, Object>) want.get("linkinfo");
            assertEquals(info == null ? null : info.get("info_kind"), got.kind(), what);
        }
        RtLink va1 = rtnl.getLink("va1").orElseThrow();
        assertEquals(links.stream().filter(l -> l.name().equals("va1")).findFirst().orElseThrow(), va1);
        assertEquals(va1, rtnl.getLink(va1.ifindex()).orElseThrow());
        assertTrue(va1.isUp() && va1.isRunning() && va1.carrier(), "both ends up: carrier " + va1);
        assertEquals("02:11:22:33:44:55", va1.address());
    }

    @Test
    @SuppressWarnings("unchecked")
    void addressDumpEqualsIpAddrShow() throws Exception {
        Set<String> want = new HashSet<>();
        for (Object o : (List<Object>) Json.parse(ns.ip("-j", "addr", "show"))) {
            Map<String, Object> link = (Map<String, Object>) o;
            int ifindex = ((Long) link.get("ifindex")).intValue();
            for (Object a : (List<Object>) link.get("addr_info")) {
                Map<String, Object> addr = (Map<String, Object>) a;
                want.add(ifindex + " " + InetAddress.getByName((String) addr.get("local")).getHostAddress() + "/"
                        + addr.get("prefixlen") + " " + addr.get("scope"));
            }
        }
        Set<String> got = new HashSet<>();
        for (RtAddr a : rtnl.dumpAddrs()) {
            got.add(a.ifindex() + " " + a.address().getHostAddress() + "/" + a.prefixLen() + " " + scopeName(a.scope()));
        }
        assertTrue(got.contains(rtnl.getLink("va1").orElseThrow().ifindex() + " 192.0.2.1/24 global"), got.toString());
        assertEquals(want, got);
    }

    /** The flag list ip(8) prints (print_link_flags in iproute2), including NO-CARRIER and M-DOWN. */
    static List<String> ipFlags(RtLink link, Map<Integer, RtLink> byIndex) {
        String[] names = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC",
            "MASTER", "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP", "LOWER_UP", "DORMANT",
            "ECHO"};
        int[] bits = {0x8, 0x2, 0x10, 0x1000, 0x80, 0x200, 0x100, 0x400, 0x800, 0x4, 0x8000, 0x4000, 0x2000, 0x20,
            0x1, 0x10000, 0x20000, 0x40000};
        List<String> out = new ArrayList<>();
        int flags = link.flags();
        if (link.isUp() && !link.isRunning()) {
            out.add("NO-CARRIER");
        }
        for (int i = 0; i < names.length; i++) {
            if ((flags & bits[i]) != 0) {
                out.add(names[i]);
            }
        }
        RtLink peer = byIndex.get(link.link());
        if (link.link() != 0 && peer != null && !peer.isUp()) {
            out.add("M-DOWN");
        }
        return out;
    }

    private static String scopeName(int scope) {
        switch (scope) {
        case 0:
            return "global";
        case 253:
            return "link";
        case 254:
            return "host";
        default:
            return Integer.toString(scope);
        }
    }
}
