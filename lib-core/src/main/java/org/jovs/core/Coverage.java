package org.jovs.core;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Coverage counters: named event counts that any module defines once and bumps cheaply, shown by
 * {@code ovs-appctl coverage/show}. Counters may be bumped from any thread.
 */
public final class Coverage {
    private static final Map<String, Counter> COUNTERS = new ConcurrentSkipListMap<>();

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

    /** Logs the counters, as OVS does after an unreasonably long poll interval. */
    public static void log() {
        // Filled in with coverage/show.
    }

    /** One named event count. */
    public static final class Counter {
        private final String name;
        private final LongAdder total = new LongAdder();

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
