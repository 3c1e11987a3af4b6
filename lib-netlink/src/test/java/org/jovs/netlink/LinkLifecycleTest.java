package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jovs.core.PollLoop;
import org.jovs.core.json.Json;
import org.jovs.netlink.NetdevMonitor.Change;
import org.jovs.netlink.NetdevMonitor.LinkEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Creates, brings up and down, renames and deletes a veth pair and a tap device through the API in
 * a private namespace, while the netdev runner runs its own poll loop on another thread. Each change
 * must reach the runner's listener within 100 ms, in order, and ip(8) must agree with the result.
 */
class LinkLifecycleTest {
    private static final long DEADLINE_MS = 100;

    /** An event and when the listener saw it. */
    private record Seen(LinkEvent event, long nanos) {
        String key() {
            return event.change() + " " + event.link().name();
        }
    }

    private TestNamespace ns;
    private NlSocket sock;
    private Rtnetlink rtnl;
    private NetdevMonitor monitor;
    private Thread loopThread;
    private volatile boolean stopping;
    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
        sock = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
        rtnl = new Rtnetlink(sock);
        monitor = ns.call(() -> NetdevMonitor.open(e -> seen.add(new Seen(e, System.nanoTime()))));
        loopThread = new Thread(this::mainLoop, "netdev-runner");
        loopThread.start();
    }

    /** The main-loop shape: run(), waitFor(), block(); a short timer only so the thread can stop. */
    private void mainLoop() {
        PollLoop loop = new PollLoop();
        while (!stopping) {
            monitor.run();
            monitor.waitFor(loop);
            loop.timerWait(50);
            loop.block();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        stopping = true;
        if (loopThread != null) {
            loopThread.join(5000);
        }
        if (monitor != null) {
            monitor.close();
        }
        if (sock != null) {
            sock.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void vethPairLifecycle() throws Exception {
        step(() -> rtnl.createVeth("v0", "v1"), "ADDED v0", "ADDED v1");
        int v0 = rtnl.getLink("v0").orElseThrow().ifindex();
        int v1 = rtnl.getLink("v1").orElseThrow().ifindex();
        assertEquals("veth", ipLink("v0").get("linkinfo") instanceof Map<?, ?> m ? m.get("info_kind") : null);
        assertEquals(v1, monitor.link("v0").orElseThrow().link(), "the runner's cache knows the peer");

        step(() -> rtnl.setUp(v0, true), "UP v0");
        assertTrue(ipFlags("v0").contains("UP"));
        assertTrue(ipFlags("v0").contains("NO-CARRIER"), "peer still down");

        // Recent kernels rename links that are up; older ones refused (EBUSY). tapLifecycle renames one that is down.
        step(() -> rtnl.rename(v0, "v0r"), "RENAMED v0r");
        assertEquals(null, ipLinkOrNull("v0"));
        assertEquals(v0, ((Long) ipLink("v0r").get("ifindex")).intValue());

        step(() -> rtnl.setUp(v1, true), "UP v1", "CARRIER_UP v1", "CARRIER_UP v0r");
        assertTrue(ipFlags("v0r").contains("LOWER_UP"));
        assertTrue(monitor.link("v0r").orElseThrow().isRunning());

        step(() -> rtnl.setMtu(v0, 4000), "CHANGED v0r");
        assertEquals(4000L, ipLink("v0r").get("mtu"));

        step(() -> rtnl.setMac(v0, RtLink.parseMac("02:00:00:00:00:01")), "CHANGED v0r");
        assertEquals("02:00:00:00:00:01", ipLink("v0r").get("address"));

        step(() -> rtnl.setUp(v0, false), "DOWN v0r", "CARRIER_DOWN v0r", "CARRIER_DOWN v1");
        assertFalse(ipFlags("v0r").contains("UP"));

        // Deleting v1 while it is up: the kernel first takes it down, then removes both ends.
        step(() -> rtnl.deleteLink(v0), "DOWN v1", "REMOVED v0r", "REMOVED v1");
        assertEquals(null, ipLinkOrNull("v0r"));
        assertEquals(null, ipLinkOrNull("v1"));
        assertTrue(monitor.link("v1").isEmpty());
        assertNoMoreEvents();
    }

    @Test
    void tapLifecycle() throws Exception {
        Tap[] tap = new Tap[1];
        try {
            step(() -> tap[0] = ns.call(() -> Tap.create("tp0")), "ADDED tp0");
            assertEquals("tp0", tap[0].name());
            assertEquals("tun", ((Map<?, ?>) ipLink("tp0").get("linkinfo")).get("info_kind"));
            int ifindex = rtnl.getLink("tp0").orElseThrow().ifindex();

            step(() -> rtnl.rename(ifindex, "tp0r"), "RENAMED tp0r");
            assertEquals(null, ipLinkOrNull("tp0"));

            // The open fd gives the tap its carrier, so going up also makes it operational.
            step(() -> rtnl.setUp(ifindex, true), "UP tp0r", "CARRIER_UP tp0r");
            assertTrue(ipFlags("tp0r").contains("LOWER_UP"));

            step(() -> rtnl.setUp(ifindex, false), "DOWN tp0r", "CARRIER_DOWN tp0r");
            assertFalse(ipFlags("tp0r").contains("UP"));

            // Not persistent: closing the fd deletes the device.
            step(() -> tap[0].close(), "REMOVED tp0r");
            assertEquals(null, ipLinkOrNull("tp0r"));
        } finally {
            if (tap[0] != null) {
                tap[0].close();
            }
        }
        assertNoMoreEvents();
    }

    @Test
    void persistentTapOutlivesItsFdUntilDeleted() throws Exception {
        Tap tap = ns.call(() -> Tap.create("tp1"));
        try {
            tap.setPersistent(true);
        } finally {
            tap.close();
        }
        RtLink link = rtnl.getLink("tp1").orElseThrow();
        assertFalse(link.carrier(), "no fd attached: no carrier");
        assertNotNull(ipLinkOrNull("tp1"));
        expectEvents(System.nanoTime(), List.of("ADDED tp1"));
        step(() -> rtnl.deleteLink(link.ifindex()), "REMOVED tp1");
        assertEquals(null, ipLinkOrNull("tp1"));
    }

    @Test
    void vethPeerGoesIntoAnotherNamespace() throws Exception {
        try (TestNamespace other = new TestNamespace()) {
            int fd = Netns.open(other.name());
            try {
                step(() -> rtnl.createVeth("vx0", "vx1", fd), "ADDED vx0");
            } finally {
                org.jovs.core.natives.Native.closeQuietly(fd);
            }
            assertNotNull(ipLinkOrNull("vx0"));
            assertEquals(null, ipLinkOrNull("vx1"));
            assertTrue(other.ip("-j", "link", "show").contains("\"ifname\":\"vx1\""), "peer in the other namespace");
            step(() -> rtnl.deleteLink(rtnl.getLink("vx0").orElseThrow().ifindex()), "REMOVED vx0");
            assertEquals("", other.ip("link", "show", "type", "veth").trim(), "deleting one end removed both");
        }
        assertNoMoreEvents();
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Performs 'action' and checks that exactly 'expected' events follow, each within the deadline. */
    private void step(Action action, String... expected) throws Exception {
        long start = System.nanoTime();
        action.run();
        expectEvents(start, List.of(expected));
    }

    /**
     * Waits for the 'expected' events ("CHANGE NAME"). Events of one link must come in the listed
     * order; different links' events may interleave as the kernel sends them.
     */
    private void expectEvents(long start, List<String> expected) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (got.size() < expected.size()) {
            Seen s = seen.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                fail("after " + DEADLINE_MS + " ms saw only " + got + ", expected " + expected);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(s.nanos() - start);
            assertTrue(ms < DEADLINE_MS, s.key() + " took " + ms + " ms");
            got.add(s.key());
        }
        for (String name : names(expected)) {
            assertEquals(forLink(expected, name), forLink(got, name), "events of " + name + " in " + got);
        }
    }

    private void assertNoMoreEvents() throws InterruptedException {
        Seen s = seen.poll(50, TimeUnit.MILLISECONDS);
        assertEquals(null, s == null ? null : s.key(), "unexpected event");
    }

    private static List<String> names(List<String> events) {
        return events.stream().map(e -> e.split(" ")[1]).distinct().toList();
    }

    private static List<String> forLink(List<String> events, String name) {
        return events.stream().filter(e -> e.endsWith(" " + name)).toList();
    }

    private Map<?, ?> ipLink(String name) throws Exception {
        Map<?, ?> link = ipLinkOrNull(name);
        assertNotNull(link, "ip link show has no " + name);
        return link;
    }

    private Map<?, ?> ipLinkOrNull(String name) throws Exception {
        for (Object o : (List<?>) Json.parse(ns.ip("-j", "-d", "link", "show"))) {
            Map<?, ?> link = (Map<?, ?>) o;
            if (name.equals(link.get("ifname"))) {
                return link;
            }
        }
        return null;
    }

    private List<?> ipFlags(String name) throws Exception {
        return (List<?>) ipLink(name).get("flags");
    }
}
