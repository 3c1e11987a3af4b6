package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jovs.core.natives.Native;
import org.jovs.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 7: generic netlink batches give the same results directly and through the worker, and
 * while the worker runs the main process sends nothing on a generic netlink socket. Each test runs
 * in its own network namespace, worker included (it is started from a thread inside it).
 */
class NlWorkerExecutorTest {
    /** Several families, one that does not exist, and one whose name is too long for nlctrl. */
    private static final List<String> FAMILIES = List.of("nlctrl", "ethtool", "TASKSTATS", "jovs_nofamily",
            "jovs_name_far_too_long");

    @TempDir
    Path dir;
    private TestNamespace ns;

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
    }

    @AfterEach
    void tearDown() throws Exception {
        ns.close();
    }

    /** The results of one round of requests, decoded. */
    private record Round(List<NlReply> lookups, List<GenlFamily> dump, List<RtLink> links) {
    }

    private static List<byte[]> lookupRequests() {
        List<byte[]> reqs = new ArrayList<>();
        for (String f : FAMILIES) {
            reqs.add(GenlFamilies.lookupRequest(f).toBytes());
        }
        return reqs;
    }

    private static List<GenlFamily> families(NlReply dump) throws Exception {
        List<GenlFamily> out = new ArrayList<>();
        for (NlMsg m : dump.check()) {
            out.add(GenlFamily.parse(m));
        }
        return out;
    }

    private static List<RtLink> links(NlReply dump) throws Exception {
        List<RtLink> out = new ArrayList<>();
        for (NlMsg m : dump.check()) {
            out.add(RtLink.parse(m));
        }
        return out;
    }

    /** Submits the round through 'x', pumps 'w' (or x alone) until every callback ran once. */
    private static Round submitRound(NlWorkerExecutor x, TestWorker w) throws Exception {
        NlResult[] got = new NlResult[3];
        int[] calls = {0, 0, 0};
        x.transact(Netlink.NETLINK_GENERIC, lookupRequests(), r -> {
            got[0] = r;
            calls[0]++;
        });
        x.dump(Netlink.NETLINK_GENERIC, GenlFamilies.dumpRequest().toBytes(), r -> {
            got[1] = r;
            calls[1]++;
        });
        x.dump(Netlink.NETLINK_ROUTE, Rtnetlink.linkDumpRequest().toBytes(), r -> {
            got[2] = r;
            calls[2]++;
        });
        w.pump(() -> got[0] != null && got[1] != null && got[2] != null, 20_000, "three netlink results");
        assertEquals(List.of(1, 1, 1), List.of(calls[0], calls[1], calls[2]), "each callback once");
        assertTrue(got[0].ok(), got[0].toString());
        return new Round(got[0].decode(), families(got[1].decode().get(0)), links(got[2].decode().get(0)));
    }

    private static Round directRound(NlSocket genl, NlSocket rtnl) throws Exception {
        List<NlReply> lookups = new ArrayList<>();
        for (byte[] raw : genl.execute(lookupRequests())) {
            lookups.add(NlReply.decode(raw));
        }
        return new Round(lookups, families(NlReply.decode(genl.executeDump(GenlFamilies.dumpRequest().toBytes()))),
                links(NlReply.decode(rtnl.executeDump(Rtnetlink.linkDumpRequest().toBytes()))));
    }

    private static void assertSameRound(Round want, Round got) throws Exception {
        assertEquals(want.lookups().size(), got.lookups().size());
        for (int i = 0; i < FAMILIES.size(); i++) {
            NlReply a = want.lookups().get(i);
            NlReply b = got.lookups().get(i);
            assertEquals(a.errno(), b.errno(), FAMILIES.get(i) + " errno");
            if (a.errno() == 0) {
                assertEquals(GenlFamilies.lookupResult(a), GenlFamilies.lookupResult(b), FAMILIES.get(i));
            }
        }
        assertEquals(want.dump(), got.dump(), "family dump");
        assertEquals(want.links(), got.links(), "link dump");
    }

    @Test
    void sameResultsDirectlyAndThroughTheWorkerWhichAloneSends() throws Exception {
        ns.call(() -> {
            try (NlSocket genl = NlSocket.open(Netlink.NETLINK_GENERIC);
                    NlSocket rtnl = NlSocket.open(Netlink.NETLINK_ROUTE);
                    TestWorker w = new TestWorker(dir, new WorkerOptions()).start();
                    NlWorkerExecutor x = new NlWorkerExecutor(w.client)) {
                w.drive(x::run, x::waitFor);
                Round direct = directRound(genl, rtnl);
                assertEquals(Optional.empty(), GenlFamilies.lookupResult(direct.lookups().get(3)));
                assertEquals(Native.ENOENT, direct.lookups().get(3).errno());
                assertEquals(Native.EINVAL, direct.lookups().get(4).errno(), "too long a name");
                assertEquals(List.of("lo"), direct.links().stream().map(RtLink::name).toList(), "private namespace");

                long genlSends = NlSocket.sendCalls(Netlink.NETLINK_GENERIC);
                long routeSends = NlSocket.sendCalls(Netlink.NETLINK_ROUTE);
                assertTrue(x.viaWorker());
                Round viaWorker = submitRound(x, w);
                assertEquals(genlSends, NlSocket.sendCalls(Netlink.NETLINK_GENERIC),
                        "the main process sent on a generic netlink socket while the worker ran");
                assertEquals(routeSends, NlSocket.sendCalls(Netlink.NETLINK_ROUTE), "rtnetlink went to the worker too");
                assertSameRound(direct, viaWorker);
                // The hook sees sends when there are any: the same round directly again.
                assertSameRound(direct, directRound(genl, rtnl));
                assertTrue(NlSocket.sendCalls(Netlink.NETLINK_GENERIC) >= genlSends + 2, "send counter works");
            }
            return null;
        });
    }

    @Test
    void withoutAWorkerBatchesRunHereAndCallBackFromRun() throws Exception {
        ns.call(() -> {
            try (NlSocket genl = NlSocket.open(Netlink.NETLINK_GENERIC);
                    NlSocket rtnl = NlSocket.open(Netlink.NETLINK_ROUTE);
                    TestWorker w = new TestWorker(dir, new WorkerOptions());
                    NlWorkerExecutor x = new NlWorkerExecutor(null)) {
                // No worker at all: never started, so the loop only drives the executor.
                w.drive(x::run, x::waitFor);
                assertFalse(x.viaWorker());
                Round direct = directRound(genl, rtnl);
                long genlSends = NlSocket.sendCalls(Netlink.NETLINK_GENERIC);
                NlResult[] got = {null};
                x.transact(Netlink.NETLINK_GENERIC, lookupRequests(), r -> got[0] = r);
                assertNull(got[0], "the callback waits for run()");
                assertTrue(NlSocket.sendCalls(Netlink.NETLINK_GENERIC) > genlSends, "ran in this process");
                x.run();
                assertNotNull(got[0]);
                assertSameRound(direct, submitRound(x, w));
            }
            return null;
        });
    }

    @Test
    void workerKilledWithBatchesOutstandingFailsThemAndTheNextWorkerServes() throws Exception {
        ns.call(() -> {
            try (TestWorker w = new TestWorker(dir, new WorkerOptions()).start();
                    NlWorkerExecutor x = new NlWorkerExecutor(w.client)) {
                w.drive(x::run, x::waitFor);
                // Let the worker come up, then hold it in a long request so the batches queue behind it.
                w.pump(() -> w.client.pid() > 0, 10_000, "the worker");
                w.stall(60_000);
                int n = 50;
                List<NlResult> results = new ArrayList<>();
                int[] calls = new int[n];
                for (int i = 0; i < n; i++) {
                    int k = i;
                    x.transact(Netlink.NETLINK_GENERIC, lookupRequests(), r -> {
                        calls[k]++;
                        results.add(r);
                    });
                }
                long pid = w.client.pid();
                assertEquals(0, Native.libc().kill((int) pid, Native.SIGKILL));
                w.pump(() -> results.size() == n, 20_000, "every batch's callback");
                for (int i = 0; i < n; i++) {
                    assertEquals(1, calls[i], "callback " + i + " ran once");
                    NlResult r = results.get(i);
                    assertFalse(r.ok(), "batch " + i + " was behind the stall, so the death took it: " + r);
                    assertTrue(r.failure().getMessage().startsWith("netlink batch not completed: worker failed: "),
                            r.failure().getMessage());
                }
                // The restarted worker serves new batches; the main process still sends nothing.
                w.pump(() -> x.viaWorker() && w.client.pid() != pid, 20_000, "the restarted worker");
                long genlSends = NlSocket.sendCalls(Netlink.NETLINK_GENERIC);
                NlResult[] after = {null};
                x.transact(Netlink.NETLINK_GENERIC, lookupRequests(), r -> after[0] = r);
                w.pump(() -> after[0] != null, 20_000, "a batch after the restart");
                GenlFamily nlctrl = GenlFamilies.lookupResult(after[0].decode().get(0)).orElseThrow();
                assertEquals(Netlink.GENL_ID_CTRL, nlctrl.id());
                assertEquals(genlSends, NlSocket.sendCalls(Netlink.NETLINK_GENERIC));
            }
            return null;
        });
    }

    @Test
    void localFailuresInTheWorkerComeBackAsFailures() throws Exception {
        ns.call(() -> {
            try (TestWorker w = new TestWorker(dir, new WorkerOptions()).start();
                    NlWorkerExecutor x = new NlWorkerExecutor(w.client)) {
                w.drive(x::run, x::waitFor);
                NlResult[] got = {null, null};
                // A request shorter than a netlink header cannot be sent: the worker says so and lives on.
                x.transact(Netlink.NETLINK_GENERIC, List.of(new byte[8]), r -> got[0] = r);
                x.transact(Netlink.NETLINK_GENERIC, List.of(GenlFamilies.lookupRequest("nlctrl").toBytes()),
                        r -> got[1] = r);
                w.pump(() -> got[1] != null, 20_000, "both results");
                assertFalse(got[0].ok());
                assertEquals("request shorter than a netlink header", got[0].failure().getMessage());
                assertTrue(got[1].ok(), got[1].toString());
                assertTrue(w.client.show().contains("restarts: 0\n"), "the worker lived on:\n" + w.client.show());
            }
            return null;
        });
    }
}
