package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jovs.core.natives.Native;
import org.jovs.netlink.natives.NlNative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel errors come back as exceptions carrying the errno; batches report each request's outcome. */
class KernelErrorsTest {
    private TestNamespace ns;
    private NlSocket sock;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
        sock = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        rtnl = new Rtnetlink(sock);
        rtnl.createVeth("ke0", "ke1");
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
    void creatingAnExistingLinkIsEexist() throws Exception {
        NlKernelException e = assertThrows(NlKernelException.class, () -> rtnl.createVeth("ke0", "ke9"));
        assertEquals(Native.EEXIST, e.errno());
        assertTrue(e.getMessage().startsWith("File exists"), e.getMessage());
        assertTrue(rtnl.getLink("ke9").isEmpty(), "nothing half-created");
    }

    @Test
    void mtuBelowTheMinimumIsEinvalWithTheKernelsReason() throws Exception {
        int ifindex = rtnl.getLink("ke0").orElseThrow().ifindex();
        NlKernelException e = assertThrows(NlKernelException.class, () -> rtnl.setMtu(ifindex, 10));
        assertEquals(Native.EINVAL, e.errno());
        assertNotNull(e.extAck(), "extended ack text");
        assertTrue(e.getMessage().contains(e.extAck()), e.getMessage());
    }

    @Test
    void missingLinksAreEnodevOrAbsent() throws Exception {
        assertEquals(Optional.empty(), rtnl.getLink("nosuch0"));
        assertEquals(Optional.empty(), rtnl.getLink(999_999));
        NlKernelException e = assertThrows(NlKernelException.class, () -> rtnl.deleteLink(999_999));
        assertEquals(NlNative.ENODEV, e.errno());
    }

    @Test
    void batchReportsEachOutcomeInOrder() throws Exception {
        int ke0 = rtnl.getLink("ke0").orElseThrow().ifindex();
        List<NlMsgBuilder> batch = new ArrayList<>();
        batch.add(Rtnetlink.linkRequest(Rtnetlink.RTM_NEWLINK, 0, ke0, 0, 0).putU32(RtLink.IFLA_MTU, 2000));
        batch.add(Rtnetlink.linkRequest(Rtnetlink.RTM_NEWLINK, 0, ke0, 0, 0).putU32(RtLink.IFLA_MTU, 10));
        batch.add(Rtnetlink.linkRequest(Rtnetlink.RTM_GETLINK, 0, ke0, 0, 0));
        batch.add(Rtnetlink.linkRequest(Rtnetlink.RTM_DELLINK, 0, 999_999, 0, 0));
        List<NlReply> replies = sock.transactAll(batch);
        assertEquals(4, replies.size());
        assertEquals(0, replies.get(0).errno());
        assertEquals(List.of(), replies.get(0).messages(), "a change is only acknowledged");
        assertEquals(Native.EINVAL, replies.get(1).errno());
        assertEquals(0, replies.get(2).errno());
        assertEquals(2000, RtLink.parse(replies.get(2).messages().get(0)).mtu(), "requests ran in order");
        assertEquals(NlNative.ENODEV, replies.get(3).errno());
    }

    @Test
    void largeBatchesAreSplitAndAllAnswered() throws Exception {
        int ke0 = rtnl.getLink("ke0").orElseThrow().ifindex();
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(Rtnetlink.linkRequest(Rtnetlink.RTM_NEWLINK, 0, ke0, 0, 0)
                    .putU32(RtLink.IFLA_MTU, 1000 + i).toBytes());
        }
        List<byte[]> replies = sock.execute(requests);
        assertEquals(500, replies.size());
        for (byte[] raw : replies) {
            // The raw shape: every reply ends with the NLMSG_ERROR that acknowledges it.
            List<NlMsg> msgs = NlMsg.parseAll(raw);
            assertEquals(Netlink.NLMSG_ERROR, msgs.get(msgs.size() - 1).type());
            assertEquals(0, NlReply.decode(raw).errno());
        }
        assertEquals(1499, rtnl.getLink(ke0).orElseThrow().mtu());
    }

    @Test
    void malformedRequestIsRejectedByTheKernelNotTheSocket() throws Exception {
        // An RTM_NEWLINK whose ifinfomsg is cut short: the kernel refuses it with EINVAL.
        NlKernelException e = assertThrows(NlKernelException.class,
                () -> sock.transact(new NlMsgBuilder(Rtnetlink.RTM_NEWLINK, 0).raw32(0)));
        assertEquals(Native.EINVAL, e.errno());
        // The socket is still in step: the next transaction gets its own reply.
        assertEquals("ke0", rtnl.getLink("ke0").orElseThrow().name());
    }
}
