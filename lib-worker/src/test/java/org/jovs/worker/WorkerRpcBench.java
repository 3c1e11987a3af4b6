package org.jovs.worker;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jovs.core.PollLoop;

/**
 * The Java side of bench/worker-rpc (run by its run.sh, not by the test suite): WorkerClient with
 * a real worker JVM, the same exchanges as the C reference rpc.c.
 *
 * <pre>
 *   rtt N     N round trips of a 64-byte request with a 64-byte reply (ECHO), each waited for
 *             with the main loop (waitFor, PollLoop.block, run). Prints "rtt_us median p99".
 *   rtt-raw N the same, waiting in a bare poll(2) on the worker socket instead of PollLoop.block()
 *             (which costs more than 20 us per call itself: see run.sh).
 *   tput N    N fire-and-forget 100-byte requests (NOOP), then one request with a reply to learn
 *             when the worker has run everything. Prints "tput msgs_per_s payload_MB_per_s
 *             worker_cpu_ns_per_msg main_cpu_ns_per_msg" (CPU time of the whole processes).
 *   block N   the cost of PollLoop.block() when an fd is already ready (best of 3 x N).
 *             Prints "block_ns ns".
 *   cost N    main-thread time per 100-byte fire-and-forget request(), in batches that stay below
 *             the queue bound (so request() never waits): median over batches of N. Prints
 *             "cost_ns median".
 * </pre>
 * Each mode warms up both JVMs first. Extra worker JVM options may be given in the environment
 * variable WORKER_JVM_OPTS (for experiments).
 */
public final class WorkerRpcBench {
    private final WorkerClient client;
    private final PollLoop loop = new PollLoop();
    private final ByteBuffer rttPayload = ByteBuffer.allocateDirect(64);
    private final ByteBuffer smallPayload = ByteBuffer.allocateDirect(100);
    private boolean answered;
    /* Used only to poll the worker socket (never closed: the client owns the fd). */
    private org.jovs.worker.natives.UnixSocket rawPoll;
    private final ReplyCallback onReply = r -> {
        if (!r.ok()) {
            throw new IllegalStateException(r.toString());
        }
        answered = true;
    };

    private WorkerRpcBench() throws Exception {
        WorkerOptions options = new WorkerOptions();
        String extra = System.getenv("WORKER_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            for (String o : extra.trim().split("\\s+")) {
                options.jvmOption(o);
            }
        }
        client = new WorkerClient(options);
        client.register(TestHandlers.ECHO, DeathPolicy.REPLAY);
        client.register(TestHandlers.NOOP, DeathPolicy.REPLAY);
        client.start();
    }

    /** One request with a reply, waited for the way a main loop waits. */
    private long roundTrip(ByteBuffer payload) {
        long t0 = System.nanoTime();
        answered = false;
        client.request(TestHandlers.ECHO, payload, onReply);
        for (;;) {
            client.run();
            if (answered) {
                return System.nanoTime() - t0;
            }
            client.waitFor(loop);
            loop.block();
        }
    }

    /** Like roundTrip(), but waiting in a bare poll(2) on the socket instead of PollLoop.block(). */
    private long rawRoundTrip(ByteBuffer payload) {
        long t0 = System.nanoTime();
        answered = false;
        client.request(TestHandlers.ECHO, payload, onReply);
        for (;;) {
            client.run();
            if (answered) {
                return System.nanoTime() - t0;
            }
            rawPoll.poll(PollLoop.POLLIN, -1);
        }
    }

    private double[] rtt(int n, boolean raw) {
        rawPoll = new org.jovs.worker.natives.UnixSocket(client.socketFd());
        for (int i = 0; i < Math.max(20_000, n / 5); i++) {
            roundTrip(rttPayload.clear());
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = raw ? rawRoundTrip(rttPayload.clear()) : roundTrip(rttPayload.clear());
        }
        Arrays.sort(t);
        return new double[] {t[n / 2] / 1e3, t[n * 99 / 100] / 1e3};
    }

    /** CPU time (user + system) of process 'pid' in ns, from /proc (clock ticks of 10 ms). */
    private static long cpuNanos(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /** Returns msgs/s, payload MB/s, worker CPU ns per message, main process CPU ns per message. */
    private double[] throughput(int n) throws java.io.IOException {
        long self = ProcessHandle.current().pid();
        long worker0 = cpuNanos(client.pid());
        long main0 = cpuNanos(self);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.request(TestHandlers.NOOP, smallPayload.clear());
        }
        roundTrip(ByteBuffer.allocateDirect(0));
        double s = (System.nanoTime() - t0) / 1e9;
        return new double[] {n / s, n * 100 / s / 1e6, (cpuNanos(client.pid()) - worker0) / (double) n,
            (cpuNanos(self) - main0) / (double) n};
    }

    private double cost(int batch, int batches) {
        double[] perRequest = new double[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                client.request(TestHandlers.NOOP, smallPayload.clear());
            }
            perRequest[b] = (System.nanoTime() - t0) / (double) batch;
            /* Let the worker catch up so that the next batch starts with an empty queue. */
            roundTrip(ByteBuffer.allocateDirect(0));
            while (client.queuedRequests() > 0) {
                client.waitFor(loop);
                loop.block();
                client.run();
            }
        }
        Arrays.sort(perRequest);
        return perRequest[batches / 2];
    }

    /** The cost of one PollLoop.block() that returns at once (a readable pipe), for reference. */
    private double blockCost(int n) {
        int[] p = new int[2];
        org.jovs.core.natives.Native.libc().pipe2(p, org.jovs.core.natives.Native.O_CLOEXEC);
        org.jovs.core.natives.Native.libc().write(p[1], new byte[] {1}, 1);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                loop.fdWait(p[0], PollLoop.POLLIN, "bench");
                loop.block();
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        org.jovs.core.natives.Native.closeQuietly(p[0]);
        org.jovs.core.natives.Native.closeQuietly(p[1]);
        return best / (double) n;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        WorkerRpcBench bench = new WorkerRpcBench();
        switch (mode) {
        case "rtt":
        case "rtt-raw":
            double[] r = bench.rtt(n, mode.equals("rtt-raw"));
            System.out.printf("rtt_us %.2f %.2f%n", r[0], r[1]);
            break;
        case "tput":
            bench.throughput(n);
            double[] t = bench.throughput(n);
            System.out.printf("tput %.0f %.1f %.0f %.0f%n", t[0], t[1], t[2], t[3]);
            break;
        case "cost":
            bench.throughput(n);
            bench.cost(n, 5);
            System.out.printf("cost_ns %.0f%n", bench.cost(n, 11));
            break;
        case "block":
            System.out.printf("block_ns %.0f%n", bench.blockCost(n));
            break;
        default:
            throw new IllegalArgumentException(mode);
        }
        bench.client.close();
        System.exit(0);
    }
}
