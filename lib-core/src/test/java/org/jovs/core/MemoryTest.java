package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.jovs.core.unixctl.Appctl;
import org.jovs.core.unixctl.RawClient;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.core.unixctl.UnixctlTestServer;
import org.junit.jupiter.api.Test;

/** memory/show through the real ovs-appctl, and the peak-RSS report schedule. */
class MemoryTest {
    @Test
    void memoryShowRepliesSortedFiguresFromTheNextRun() throws Exception {
        Thread[] reporterThread = new Thread[1];
        Consumer<Map<String, Long>> bridges = usage -> {
            reporterThread[0] = Thread.currentThread();
            usage.put("ports", 3L);
            usage.put("handlers", 2L);
        };
        Consumer<Map<String, Long>> more = usage -> usage.put("ports", 1L);
        Memory.addReporter(bridges);
        Memory.addReporter(more);
        try (UnixctlTestServer s = new UnixctlTestServer(Memory::registerCommands)) {
            assertEquals(new Appctl.Result(0, "handlers:2 ports:4\n", ""), Appctl.run(s.path(), "memory/show"));
            assertEquals("unixctl-test-loop", reporterThread[0].getName());
        } finally {
            Memory.removeReporter(bridges);
            Memory.removeReporter(more);
        }
    }

    @Test
    void memoryShowWithoutReportersRepliesNothing() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(Memory::registerCommands)) {
            assertEquals(new Appctl.Result(0, "", ""), Appctl.run(s.path(), "memory/show"));
        }
    }

    @Test
    void memoryShowIsAnsweredByTheNextMemoryRunNotByTheHandler() throws Exception {
        // The server runs on this thread here, so each step is visible.
        Path dir = Files.createTempDirectory("jovs-memory");
        try (UnixctlServer server = UnixctlServer.create("m.ctl", dir.toString(), "jovs-test", "v");
                RawClient client = new RawClient(server.path())) {
            Memory.registerCommands(server);
            Memory.run(); // settles any due peak-RSS check, so that only our request can wake the loop
            assertFalse(wakesAtOnce());
            client.send("{\"method\":\"memory/show\",\"params\":[],\"id\":1}");
            for (int i = 0; i < 100 && !wakesAtOnce(); i++) {
                server.run();
                Thread.sleep(5);
            }
            assertTrue(wakesAtOnce(), "the request never reached Memory");
            assertFalse(client.available(), "replied before Memory.run()");
            Memory.run();
            assertEquals(Map.of("result", "", "id", 1L), withoutNullError(client.readReply()));
            assertFalse(wakesAtOnce());
        } finally {
            Files.deleteIfExists(dir.resolve("m.ctl"));
            Files.deleteIfExists(dir);
        }
    }

    /** True if Memory.waitFor() asks for an immediate wakeup, i.e. a reply is pending. */
    private static boolean wakesAtOnce() {
        PollLoop loop = new PollLoop();
        Memory.waitFor(loop);
        loop.timerWait(200);
        long start = TimeVal.msec();
        loop.block();
        return TimeVal.msec() - start < 100;
    }

    private static Map<String, Object> withoutNullError(Map<String, Object> reply) {
        assertTrue(reply.containsKey("error") && reply.get("error") == null, reply.toString());
        Map<String, Object> rest = new java.util.HashMap<>(reply);
        rest.remove("error");
        return rest;
    }

    @Test
    void peakRssIsReportedAfterTenSecondsThenOnGrowthByHalf() {
        Memory.Monitor m = new Memory.Monitor(1_000);
        assertNull(m.check(10_999, () -> 100_000));
        assertEquals("100000 kB peak resident set size after 10.0 seconds", m.check(11_000, () -> 100_000));
        assertNull(m.check(20_999, () -> 200_000), "checked before the interval passed");
        assertNull(m.check(21_000, () -> 149_999));
        assertEquals("peak resident set size grew 50% in last 20.0 seconds, from 100000 kB to 150000 kB",
                m.check(31_000, () -> 150_000));
        assertNull(m.check(41_000, () -> 160_000));
    }

    @Test
    void peakRssIsReadFromProc() {
        assertTrue(Memory.peakRssKb() > 1_000);
    }
}
