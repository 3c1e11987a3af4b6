package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket itself: port ids, buffer sizes, multicast membership and poll-loop wakeups. */
class NlSocketTest {
    private TestNamespace ns;
    private NlSocket requests;
    private NlSocket listener;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
        requests = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        listener = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        rtnl = new Rtnetlink(requests);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (requests != null) {
            requests.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void eachSocketHasItsOwnPortIdAndDescriptor() {
        assertNotEquals(0, requests.portId());
        assertNotEquals(requests.portId(), listener.portId());
        assertNotEquals(requests.fd(), listener.fd());
        assertEquals(Netlink.NETLINK_ROUTE, requests.protocol());
    }

    @Test
    void receiveBufferIsSettable() throws Exception {
        // The kernel doubles the request for its bookkeeping; SO_RCVBUFFORCE passes rmem_max as root.
        assertEquals(2 * NlSocket.DEFAULT_RCVBUF, requests.receiveBufferSize());
        assertEquals(2 * 300_000, requests.setReceiveBufferSize(300_000));
        assertEquals(2 * 300_000, requests.receiveBufferSize());
    }

    @Test
    void multicastMembershipControlsNotificationsAndWakesThePollLoop() throws Exception {
        assertEquals(List.of(), listener.receive(), "nothing before joining");
        listener.joinGroup(Rtnetlink.RTNLGRP_LINK);
        rtnl.createVeth("ns0", "ns1");

        PollLoop loop = new PollLoop();
        listener.waitFor(loop);
        loop.timerWait(2000);
        long start = TimeVal.msec();
        loop.block();
        assertEquals(listener.fd(), loop.lastWokenFd());
        assertTrue(TimeVal.msec() - start < 1000);
        List<String> names = new ArrayList<>();
        for (List<NlMsg> msgs = listener.receive(); !msgs.isEmpty(); msgs = listener.receive()) {
            for (NlMsg m : msgs) {
                assertEquals(Rtnetlink.RTM_NEWLINK, m.type());
                names.add(RtLink.parse(m).name());
            }
        }
        assertTrue(names.containsAll(List.of("ns0", "ns1")), names.toString());

        listener.leaveGroup(Rtnetlink.RTNLGRP_LINK);
        rtnl.deleteLink(rtnl.getLink("ns0").orElseThrow().ifindex());
        assertEquals(List.of(), listener.receive(), "nothing after leaving");
    }

    @Test
    void closedSocketFailsCleanly() throws Exception {
        NlSocket s = ns.call(() -> NlSocket.open(Netlink.NETLINK_GENERIC));
        s.close();
        s.close();
        NativeException e = assertThrows(NativeException.class, () -> new GenlFamilies(s).lookup("nlctrl"));
        assertEquals(Native.EBADF, e.errno());
        assertEquals(-1, s.fd());
    }
}
