package org.jovs.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

import org.jovs.core.unixctl.UnixctlServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Coverage counters, as OVS's lib/coverage.c: named event counts that any module defines once and
 * bumps cheaply from any thread, shown by {@code ovs-appctl coverage/show}.
 *
 * <p>Besides each counter's total, the main loop keeps the history that coverage/show turns into
 * per-second rates averaged over the last 5 seconds, the last minute and the last hour:
 * {@link #run()} takes a snapshot of every total each 5 seconds, into twelve 5-second slots and
 * sixty 1-minute slots. When the loop ran late, the increase is spread evenly over the slots
 * missed, as OVS does. {@link #waitFor} wakes the loop for the next snapshot.
 *
 * <p>Counters are listed by name (OVS lists them in registration order, which in C is link
 * order). Totals are read live; OVS folds per-thread counts into them once a second.
 */
public final class Coverage {
    /** Milliseconds between snapshots (OVS's COVERAGE_RUN_INTERVAL). */
    static final long RUN_INTERVAL = 5_000;
    private static final int MIN_AVG_LEN = (int) (60_000 / RUN_INTERVAL);
    private static final int HR_AVG_LEN = 60;
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private static final Logger LOG = LoggerFactory.getLogger("coverage");
    private static final Map<String, Counter> COUNTERS = new ConcurrentSkipListMap<>();

    /* Snapshot state, guarded by the class lock. */
    private static long runTime = Long.MIN_VALUE;
    private static int idxCount;

    /* Coverage.log() state, guarded by the class lock. */
    private static final RateLimit LOG_RATE_LIMIT = new RateLimit(1, 3);
    private static final Set<Integer> LOGGED_HASHES = new HashSet<>();
    private static long loggedHashesExpire = Long.MIN_VALUE;

    private Coverage() {
    }

    /** Returns the counter named 'name', creating it on first use. Call once, into a static field. */
    public static Counter counter(String name) {
        return COUNTERS.computeIfAbsent(name, Counter::new);
    }

    /** All counters, sorted by name. */
    public static Iterable<Counter> all() {
        return COUNTERS.values();
    }

    /** Registers coverage/show and coverage/read-counter on 'server'. */
    public static void registerCommands(UnixctlServer server) {
        server.register("coverage/show", "", 0, 0, (conn, args) -> conn.reply(String.join("\n", read()) + "\n"));
        server.register("coverage/read-counter", "COUNTER", 1, 1, (conn, args) -> {
            Counter c = COUNTERS.get(args.get(0));
            if (c == null) {
                conn.replyError("No such counter");
            } else {
                conn.reply(c.total() + "\n");
            }
        });
    }

    /** Takes a snapshot for the rate history if one is due. Main loop; never blocks. */
    public static void run() {
        runAt(TimeVal.msec());
    }

    /** Wakes 'loop' when the next snapshot is due. */
    public static synchronized void waitFor(PollLoop loop) {
        if (runTime != Long.MIN_VALUE) {
            loop.timerWaitUntil(runTime);
        }
    }

    /** {@link #run()} at monotonic time 'now'. */
    static synchronized void runAt(long now) {
        if (runTime == Long.MIN_VALUE) {
            runTime = now + RUN_INTERVAL;
        }
        if (now < runTime) {
            return;
        }
        int slots = (int) Math.min((now - runTime) / RUN_INTERVAL + 1, MIN_AVG_LEN * HR_AVG_LEN);
        for (Counter c : COUNTERS.values()) {
            long total = c.total();
            long count = total - c.lastTotal;
            c.lastTotal = total;
            long portion = count / slots;
            int idx = idxCount;
            for (int j = 0; j < slots; j++) {
                int m = idx % MIN_AVG_LEN;
                int h = idx / MIN_AVG_LEN;
                c.min[m] = portion + (j == slots - 1 ? count % slots : 0);
                c.hr[h] = m == 0 ? c.min[m] : c.hr[h] + c.min[m];
                idx = (idx + 1) % (MIN_AVG_LEN * HR_AVG_LEN);
            }
        }
        idxCount = (idxCount + slots) % (MIN_AVG_LEN * HR_AVG_LEN);
        runTime = now + RUN_INTERVAL;
    }

    /** When the next snapshot is due, or Long.MIN_VALUE before the first {@link #run()}. */
    static synchronized long nextRunTime() {
        return runTime;
    }

    /**
     * Logs the coverage/show lines at INFO, as OVS does after an unreasonably long poll interval:
     * at most 3 times in a burst and once a minute after that, and for a set of counters already
     * logged in the last day (same hash) only a one-line note. After drops, OVS's "Dropped ..."
     * line comes first.
     */
    public static void log() {
        logAt(TimeVal.msec());
    }

    /** {@link #log()} at monotonic time 'now'. */
    static synchronized void logAt(long now) {
        if (!LOG_RATE_LIMIT.admitAt(LOG, Level.INFO, null, now)) {
            return;
        }
        if (now >= loggedHashesExpire) {
            LOGGED_HASHES.clear();
            loggedHashesExpire = now + DAY_MS;
        }
        Snapshot snap = snapshot();
        if (!LOGGED_HASHES.add(snap.hash)) {
            LOG.info("Skipping details of duplicate event coverage for hash={}", String.format("%08x", snap.hash));
            return;
        }
        for (String line : format(snap)) {
            LOG.info("{}", line);
        }
    }

    /** The coverage/show lines: header with hash, one line per counter hit, never-hit count. */
    static synchronized List<String> read() {
        return format(snapshot());
    }

    private record Snapshot(Counter[] counters, long[] totals, int hash) {
    }

    private static Snapshot snapshot() {
        Counter[] counters = COUNTERS.values().toArray(new Counter[0]);
        long[] totals = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            totals[i] = counters[i].total();
        }
        return new Snapshot(counters, totals, hash(counters, totals));
    }

    private static List<String> format(Snapshot snap) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Event coverage, avg rate over last: %d seconds, last minute, last hour,  hash=%08x:",
                RUN_INTERVAL / 1000, snap.hash));
        int lastIdx = Math.floorMod(idxCount - 1, MIN_AVG_LEN);
        int neverHit = 0;
        for (int i = 0; i < snap.counters.length; i++) {
            Counter c = snap.counters[i];
            if (snap.totals[i] == 0) {
                neverHit++;
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%-24s %5.1f/sec %9.3f/sec %13.4f/sec   total: %d", c.name,
                    c.min[lastIdx] * 1000.0 / RUN_INTERVAL, sum(c.min) / 60.0, sum(c.hr) / 3600.0, snap.totals[i]));
        }
        lines.add(neverHit + " events never hit");
        return lines;
    }

    /**
     * A hash of which counters were hit and how they rank by total (not of the totals themselves),
     * so that the same mix of events logs the same hash, as OVS's coverage_hash().
     */
    private static int hash(Counter[] counters, long[] totals) {
        Integer[] order = new Integer[counters.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Descending by total, then by name; the array is by name already and the sort is stable.
        Arrays.sort(order, (a, b) -> Long.compare(totals[b], totals[a]));
        int hash = 0;
        int groups = 0;
        for (int i = 0; i < order.length && totals[order[i]] != 0; ) {
            groups++;
            hash = mix(hash, i);
            int j = i;
            while (j < order.length && totals[order[j]] == totals[order[i]]) {
                hash = mix(hash, counters[order[j]].name.hashCode());
                j++;
            }
            i = j;
        }
        return mix(hash, groups);
    }

    private static int mix(int hash, int value) {
        int h = (hash ^ value) * 0x9e3779b1;
        return h ^ (h >>> 15);
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }

    /** One named event count. {@link #inc()} and {@link #add} are cheap and thread-safe. */
    public static final class Counter {
        private final String name;
        private final LongAdder total = new LongAdder();
        /* Rate history, guarded by the Coverage class lock. */
        private final long[] min = new long[MIN_AVG_LEN];
        private final long[] hr = new long[HR_AVG_LEN];
        private long lastTotal;

        private Counter(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public void inc() {
            total.increment();
        }

        public void add(long n) {
            total.add(n);
        }

        public long total() {
            return total.sum();
        }
    }
}
