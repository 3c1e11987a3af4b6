package org.jovs.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jovs.core.unixctl.UnixctlConnection;
import org.jovs.core.unixctl.UnixctlServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory usage monitor, as OVS's lib/memory.c.
 *
 * <p>Ten seconds after start it logs the peak resident set size ("N kB peak resident set size
 * after S seconds"), then checks every ten seconds and logs again whenever the peak has grown by
 * half since the last report. Each such report also logs the usage figures that modules provide
 * through {@link #addReporter}: name:count pairs that should correlate with memory use, such as
 * numbers of flows or ports. {@code ovs-appctl memory/show} gets those figures too, as a deferred
 * reply sent by the next {@link #run()}: space-separated "name:count", sorted by name, empty when
 * nothing is reported.
 *
 * <p>Contract: the main loop calls {@link #run()} and {@link #waitFor(PollLoop)} on every
 * iteration. Reading /proc/self/status is fast enough for the main thread. <b>Note:</b> main
 * thread only, like the unixctl server; reporters run on that thread, from {@code run()}.
 */
public final class Memory {
    /** Milliseconds to the first report, and between checks for growth. */
    static final long CHECK_INTERVAL = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger("memory");

    private static final Monitor MONITOR = new Monitor(TimeVal.msec() - TimeVal.sinceStart());
    private static final List<Consumer<Map<String, Long>>> REPORTERS = new ArrayList<>();
    private static final List<UnixctlConnection> WAITING = new ArrayList<>();
    private static boolean wantReport;

    private Memory() {
    }

    /** Registers memory/show on 'server'. */
    public static void registerCommands(UnixctlServer server) {
        server.register("memory/show", "", 0, 0, (conn, args) -> WAITING.add(conn));
    }

    /**
     * Adds 'reporter', which puts its name:count figures into the map it is given whenever a report
     * is made. Figures with the same name from different reporters are added up.
     */
    public static void addReporter(Consumer<Map<String, Long>> reporter) {
        REPORTERS.add(reporter);
    }

    /** Removes a reporter added by {@link #addReporter}. */
    public static void removeReporter(Consumer<Map<String, Long>> reporter) {
        REPORTERS.remove(reporter);
    }

    /** Checks memory growth if due, and makes the report that is due or asked for, if any. */
    public static void run() {
        String message = MONITOR.check(TimeVal.msec(), Memory::peakRssKb);
        if (message != null) {
            LOG.info("{}", message);
            wantReport = true;
        }
        if (wantReport || !WAITING.isEmpty()) {
            report();
        }
    }

    /** Wakes 'loop' for a pending report, or for the next check. */
    public static void waitFor(PollLoop loop) {
        if (wantReport || !WAITING.isEmpty()) {
            loop.immediateWake();
        } else {
            loop.timerWaitUntil(MONITOR.nextCheck);
        }
    }

    private static void report() {
        Map<String, Long> usage = new TreeMap<>();
        for (Consumer<Map<String, Long>> reporter : List.copyOf(REPORTERS)) {
            Map<String, Long> figures = new TreeMap<>();
            reporter.accept(figures);
            figures.forEach((name, count) -> usage.merge(name, count, Long::sum));
        }
        String text = format(usage);
        if (wantReport) {
            if (!text.isEmpty()) {
                LOG.info("{}", text);
            }
            wantReport = false;
        }
        List<UnixctlConnection> waiting = List.copyOf(WAITING);
        WAITING.clear();
        for (UnixctlConnection conn : waiting) {
            conn.reply(text);
        }
    }

    /** "name:count" pairs separated by spaces, in the order of 'usage' (sorted). */
    static String format(Map<String, Long> usage) {
        StringBuilder sb = new StringBuilder();
        usage.forEach((name, count) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(name).append(':').append(count);
        });
        return sb.toString();
    }

    /** The process's peak resident set size in kB (VmHWM), or 0 if it cannot be read. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("/proc/self/status: cannot read peak resident set size ({})", e.toString());
        }
        return 0;
    }

    /** When to check the peak RSS, and whether it grew enough to report: pure logic over 'now'. */
    static final class Monitor {
        private final long bootTime;
        long nextCheck;
        private long lastReport;
        private long lastReportedKb;

        Monitor(long bootTime) {
            this.bootTime = bootTime;
            this.nextCheck = bootTime + CHECK_INTERVAL;
        }

        /**
         * At monotonic time 'now': if a check is due, reads the peak RSS from 'peakKb' and returns
         * the message to log if a report is due, else null.
         */
        String check(long now, LongSupplier peakKb) {
            if (now < nextCheck) {
                return null;
            }
            nextCheck = now + CHECK_INTERVAL;
            long peak = peakKb.getAsLong();
            String message;
            if (lastReportedKb == 0) {
                message = String.format(Locale.ROOT, "%d kB peak resident set size after %.1f seconds", peak,
                        (now - bootTime) / 1000.0);
            } else if (peak >= lastReportedKb * 1.5) {
                message = String.format(Locale.ROOT,
                        "peak resident set size grew %.0f%% in last %.1f seconds, from %d kB to %d kB",
                        ((double) peak / lastReportedKb - 1) * 100, (now - lastReport) / 1000.0, lastReportedKb, peak);
            } else {
                return null;
            }
            lastReport = now;
            lastReportedKb = peak;
            return message;
        }
    }
}
