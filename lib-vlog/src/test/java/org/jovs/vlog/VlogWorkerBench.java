package org.jovs.vlog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jovs.core.PollLoop;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java side of bench/vlog (run by its run.sh, not by the test suite): logs N lines of 100
 * bytes (with the default file pattern) through vlog to a log file in DIR, either written directly
 * by the main thread or through the worker process, the way ovs-vswitchd's main loop runs it (1000
 * lines per iteration, then the worker client's and the route's run/waitFor and a non-sleeping
 * PollLoop.block()).
 *
 * <pre>
 *   direct N DIR   prints "direct lines_per_s main_ns_per_line"
 *   worker N DIR   prints "worker lines_per_s main_ns_per_line"
 * </pre>
 * lines_per_s counts from the first line until the last one is in the file; main_ns_per_line is
 * the main thread's CPU time over the same span, divided by N. Both modes first log N lines to warm
 * up the JIT (and the worker JVM).
 */
public final class VlogWorkerBench {
    private static final Logger LOG = LoggerFactory.getLogger("bench");
    private static final int LINES_PER_ITERATION = 1000;
    /* Message: 48 + 1 + 8 bytes; with the 42-byte prefix and the newline, 100 bytes. */
    private static final String TEXT = "x".repeat(48);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final PollLoop loop = new PollLoop();
    private final Path file;
    private WorkerClient client;
    private WorkerLogFileWriter route;
    private int round;

    private VlogWorkerBench(Path file) {
        this.file = file;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long n = Long.parseLong(args[1]);
        VlogWorkerBench b = new VlogWorkerBench(Path.of(args[2]).resolve("bench.log"));
        Vlog.init("bench", List.of("console:off", "syslog:off"), b.file.toString(), null, "null");
        if (mode.equals("worker")) {
            b.startWorker();
        }
        b.flood(n);
        long[] r = b.flood(n);
        double seconds = r[0] / 1e9;
        System.out.printf("%s %.0f %.0f%n", mode, n / seconds, (double) r[1] / n);
        if (b.client != null) {
            b.client.close();
        }
        System.exit(0);
    }

    private void startWorker() throws IOException {
        WorkerOptions options = new WorkerOptions();
        client = new WorkerClient(options);
        route = new WorkerLogFileWriter(client, options);
        client.start();
        Vlog.setLogFileWriter(route);
    }

    /** Logs 'n' lines and an end marker; returns {wall ns, main-thread CPU ns} until it is in the file. */
    private long[] flood(long n) throws IOException {
        round++;
        String end = "end of round " + round;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            LOG.info("{} {}", TEXT, 10_000_000 + i);
            if (i % LINES_PER_ITERATION == LINES_PER_ITERATION - 1) {
                iterate(false);
            }
        }
        LOG.info(end);
        while (!fileEndsWith(end)) {
            iterate(true);
        }
        return new long[] {System.nanoTime() - t0, threads.getCurrentThreadCpuTime() - cpu0};
    }

    /** One main loop iteration; 'idle' lets it sleep up to 1 ms. */
    private void iterate(boolean idle) {
        if (client == null) {
            return;
        }
        client.run();
        route.run();
        route.waitFor(loop);
        client.waitFor(loop);
        loop.timerWait(idle ? 1 : 0);
        loop.block();
    }

    private boolean fileEndsWith(String marker) throws IOException {
        byte[] want = (marker + "\n").getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (size < want.length) {
                return false;
            }
            byte[] tail = new byte[want.length];
            f.seek(size - want.length);
            f.readFully(tail);
            return java.util.Arrays.equals(tail, want);
        }
    }
}
