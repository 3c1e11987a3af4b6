package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jovs.core.Coverage;
import org.jovs.netlink.NetdevMonitor.Change;
import org.jovs.netlink.NetdevMonitor.LinkEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real notification overflows: a notification socket with the smallest receive buffer the kernel
 * allows, and a burst of link changes it cannot hold. The socket reports ENOBUFS to its owner, and
 * the netdev runner resynchronises so that its cache and events still add up to the kernel's state.
 */
class NotificationOverflowTest {
    private static final int PAIRS = 15;

    private TestNamespace ns;
    private NlSocket sock;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
        sock = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        rtnl = new Rtnetlink(sock);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sock != null) {
            sock.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void socketReportsOverflowOnceAndKeepsWorking() throws Exception {
        try (NlSocket listener = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE))) {
            listener.joinGroup(Rtnetlink.RTNLGRP_LINK);
            listener.setReceiveBufferSize(1);
            createPairs();
            int overflows = 0;
            int received = 0;
            for (int i = 0; i < 10_000; i++) {
                try {
                    List<NlMsg> msgs = listener.receive();
                    if (msgs.isEmpty()) {
                        break;
                    }
                    received += msgs.size();
                } catch (NlOverflowException e) {
                    overflows++;
                }
            }
            assertEquals(1, overflows, "ENOBUFS is reported once per overflow");
            assertTrue(received > 0 && received < 2 * PAIRS, "some notifications kept, some lost: " + received);
            listener.setReceiveBufferSize(NlSocket.DEFAULT_RCVBUF);
            rtnl.deleteLink(rtnl.getLink("ov0a").orElseThrow().ifindex());
            assertEquals(2, listener.receive().size() + listener.receive().size(), "both ends' RTM_DELLINK");
        }
    }

    @Test
    void monitorResynchronisesAfterOverflow() throws Exception {
        List<LinkEvent> events = new ArrayList<>();
        try (NetdevMonitor monitor = ns.call(() -> NetdevMonitor.open(events::add))) {
            monitor.notificationSocket().setReceiveBufferSize(1);
            long resyncs = Coverage.counter("netdev_linux_resync").total();
            long overflows = Coverage.counter("netlink_overflow").total();
            createPairs();
            monitor.run();
            assertTrue(Coverage.counter("netlink_overflow").total() > overflows, "the burst overflowed");
            assertEquals(resyncs + 1, Coverage.counter("netdev_linux_resync").total(), "one resync");

            Set<String> added = new TreeSet<>();
            for (LinkEvent e : events) {
                assertEquals(Change.ADDED, e.change(), e.toString());
                assertTrue(added.add(e.link().name()), "added twice: " + e);
            }
            assertEquals(expectedNames(), added);
            Map<Integer, RtLink> kernel = new HashMap<>();
            for (RtLink l : rtnl.dumpLinks()) {
                kernel.put(l.ifindex(), l);
            }
            assertEquals(kernel, monitor.links());

            // After the resync, notifications flow again.
            monitor.notificationSocket().setReceiveBufferSize(NlSocket.DEFAULT_RCVBUF);
            events.clear();
            rtnl.setUp(rtnl.getLink("ov3a").orElseThrow().ifindex(), true);
            monitor.run();
            assertEquals(List.of(Change.UP), events.stream().map(LinkEvent::change).toList());
        }
    }

    /** Creates the pairs ovNa/ovNb in one batch, a burst of notifications. */
    private void createPairs() throws Exception {
        List<NlMsgBuilder> batch = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            batch.add(Rtnetlink.vethRequest("ov" + i + "a", "ov" + i + "b", -1));
        }
        for (NlReply r : sock.transactAll(batch)) {
            r.check();
        }
    }

    private static Set<String> expectedNames() {
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < PAIRS; i++) {
            names.add("ov" + i + "a");
            names.add("ov" + i + "b");
        }
        return names;
    }
}
