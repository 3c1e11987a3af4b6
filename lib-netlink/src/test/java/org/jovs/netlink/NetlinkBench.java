package org.jovs.netlink;

import java.util.Arrays;
import java.util.List;

import org.jovs.core.PollLoop;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerOptions;

/**
 * The Java side of bench/netlink (run by its run.sh, not by the test suite), doing what the C
 * reference nlbench.c does, through lib-netlink's public API.
 *
 * <pre>
 *   rtt N         N nlctrl GETFAMILY("nlctrl") transactions on an NlSocket (transactAll, then
 *                 GenlFamilies.lookupResult: the whole family parsed). Prints "rtt_us median p99".
 *   rtt-worker N  the same through NlWorkerExecutor and a real worker JVM, each waited for by a
 *                 main loop (run, waitFor, PollLoop.block). Prints "rtt_us median p99".
 *   dump N        N Rtnetlink.dumpLinks() of the current network namespace (every link parsed into
 *                 an RtLink). Prints "dump links dumps_per_s" (from the median dump time).
 * </pre>
 * Each mode first warms up: it runs batches of N operations until the batch median stops
 * improving (and at least {@value #MIN_WARMUP_MS} ms have passed), so that the JIT has compiled the
 * paths as it has in a daemon that has been up a while. On a busy machine the compiler threads get
 * little CPU, and a fixed warm-up measured interpreted code. The batch after that is reported.
 */
public final class NetlinkBench {
    private static final long MIN_WARMUP_MS = 3_000;
    private static final long MAX_WARMUP_MS = 60_000;

    private interface Op {
        long run() throws Exception;
    }

    private NetlinkBench() {
    }

    /** Warms 'op' up (see the class comment), then runs it 'n' times; the sorted durations in ns. */
    private static long[] measure(int n, Op op) throws Exception {
        long start = System.nanoTime();
        long best = Long.MAX_VALUE;
        int stale = 0;
        while (System.nanoTime() - start < MAX_WARMUP_MS * 1_000_000) {
            long median = batch(n, op)[n / 2];
            stale = median < best * 97 / 100 ? 0 : stale + 1;
            best = Math.min(best, median);
            if (stale >= 2 && System.nanoTime() - start >= MIN_WARMUP_MS * 1_000_000) {
                break;
            }
        }
        return batch(n, op);
    }

    private static long[] batch(int n, Op op) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = op.run();
        }
        Arrays.sort(t);
        return t;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        switch (args[0]) {
        case "rtt":
            rtt(n);
            break;
        case "rtt-worker":
            rttWorker(n);
            break;
        case "dump":
            dump(n);
            break;
        default:
            throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void rtt(int n) throws Exception {
        try (NlSocket genl = NlSocket.open(Netlink.NETLINK_GENERIC)) {
            printRtt(measure(n, () -> {
                long t0 = System.nanoTime();
                getFamily(genl);
                return System.nanoTime() - t0;
            }));
        }
    }

    private static void getFamily(NlSocket genl) throws Exception {
        check(GenlFamilies.lookupResult(genl.transactAll(List.of(GenlFamilies.lookupRequest("nlctrl"))).get(0))
                .orElseThrow());
    }

    private static void check(GenlFamily f) {
        if (f.id() != Netlink.GENL_ID_CTRL) {
            throw new IllegalStateException("wrong family " + f);
        }
    }

    private static void rttWorker(int n) throws Exception {
        WorkerClient worker = new WorkerClient(new WorkerOptions());
        NlWorkerExecutor x = new NlWorkerExecutor(worker);
        worker.start();
        PollLoop loop = new PollLoop();
        NlResult[] got = {null};
        printRtt(measure(n, () -> workerRoundTrip(worker, x, loop, got)));
        x.close();
        worker.close();
    }

    private static long workerRoundTrip(WorkerClient worker, NlWorkerExecutor x, PollLoop loop, NlResult[] got)
            throws Exception {
        long t0 = System.nanoTime();
        got[0] = null;
        x.transact(Netlink.NETLINK_GENERIC, List.of(GenlFamilies.lookupRequest("nlctrl").toBytes()), r -> got[0] = r);
        for (;;) {
            worker.run();
            x.run();
            if (got[0] != null) {
                check(GenlFamilies.lookupResult(got[0].decode().get(0)).orElseThrow());
                return System.nanoTime() - t0;
            }
            worker.waitFor(loop);
            x.waitFor(loop);
            loop.block();
        }
    }

    private static void dump(int n) throws Exception {
        try (NlSocket rtnl = NlSocket.open(Netlink.NETLINK_ROUTE)) {
            Rtnetlink links = new Rtnetlink(rtnl);
            int[] count = {0};
            long[] t = measure(n, () -> {
                long t0 = System.nanoTime();
                count[0] = links.dumpLinks().size();
                return System.nanoTime() - t0;
            });
            System.out.printf("dump %d %.1f%n", count[0], 1e9 / t[n / 2]);
        }
    }

    private static void printRtt(long[] t) {
        System.out.printf("rtt_us %.2f %.2f%n", t[t.length / 2] / 1e3, t[t.length * 99 / 100] / 1e3);
    }
}
