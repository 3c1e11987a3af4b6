package org.jovs.vswitchd.normal;

import java.util.function.Consumer;

import org.jovs.core.Coverage;

/**
 * A bridge's MAC learning table, as OVS's lib/mac-learning.c: (VLAN, MAC) to the port it was last
 * seen on, each entry expiring after the idle time (other_config:mac-aging-time, 300 s by
 * default, kept within 15..3600 s as OVS does) and the table holding at most the configured number
 * of entries (other_config:mac-table-size, 8192 by default), the least recently learned entry
 * giving way when full.
 *
 * <p>A port is an int chosen by the caller (the OpenFlow port number of the bridge port's first
 * interface). Times are the caller's monotonic milliseconds; ages are whole seconds, as OVS's.
 * Lookups and refreshes of known entries allocate nothing; only a new entry does. Pure logic,
 * main thread only.
 */
public final class MacLearningTable {
    public static final int DEFAULT_MAX_ENTRIES = 8192;
    public static final int DEFAULT_IDLE_TIME = 300;
    /** What {@link #lookup} returns for an unknown address. */
    public static final int NO_PORT = -1;

    private static final Coverage.Counter LEARNED = Coverage.counter("mac_learning_learned");
    private static final Coverage.Counter EXPIRED = Coverage.counter("mac_learning_expired");
    private static final Coverage.Counter EVICTED = Coverage.counter("mac_learning_evicted");
    private static final Coverage.Counter MOVED = Coverage.counter("mac_learning_moved");

    /** One learned address, in a hash bucket chain and in the LRU list (oldest first). */
    public static final class Entry {
        final long key;
        int port;
        /** Expiry time, in seconds. */
        long expires;
        Entry nextInBucket;
        Entry older;
        Entry newer;

        Entry(long key) {
            this.key = key;
        }

        public long mac() {
            return key & 0xffffffffffffL;
        }

        public int vlan() {
            return (int) (key >>> 48);
        }

        public int port() {
            return port;
        }
    }

    private Entry[] buckets = new Entry[64];
    private int size;
    /** LRU list ends: 'oldest' is next to expire or be evicted. */
    private Entry oldest;
    private Entry newest;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private int idleTime = DEFAULT_IDLE_TIME;
    private long totalLearned;
    private long totalExpired;
    private long totalEvicted;
    private long totalMoved;

    /** Sets the idle time in seconds, clamped to 15..3600; entries keep the age they have. */
    public void setIdleTime(int seconds) {
        int t = Math.max(15, Math.min(3600, seconds));
        if (t != idleTime) {
            for (Entry e = oldest; e != null; e = e.newer) {
                e.expires += t - idleTime;
            }
            idleTime = t;
        }
    }

    public int idleTime() {
        return idleTime;
    }

    /**
     * Sets the maximum number of entries, the default for 0 or less as OVS; extra entries go on
     * the next {@link #run}.
     */
    public void setMaxEntries(int max) {
        maxEntries = max > 0 ? max : DEFAULT_MAX_ENTRIES;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public int size() {
        return size;
    }

    private static long key(long mac, int vlan) {
        return ((long) (vlan & 0xfff) << 48) | (mac & 0xffffffffffffL);
    }

    private int bucket(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h >>> 40) & (buckets.length - 1);
    }

    private Entry find(long key) {
        for (Entry e = buckets[bucket(key)]; e != null; e = e.nextInBucket) {
            if (e.key == key) {
                return e;
            }
        }
        return null;
    }

    /** The port 'mac' was learned on in 'vlan', or {@link #NO_PORT}. */
    public int lookup(long mac, int vlan) {
        Entry e = find(key(mac, vlan));
        return e == null ? NO_PORT : e.port;
    }

    /** True if OVS would learn from this source: a unicast address. */
    public static boolean mayLearn(long mac) {
        return (mac & 0x010000000000L) == 0;
    }

    /**
     * Learns that 'mac' in 'vlan' is on 'port', as of 'nowMs'. An entry learned on another port
     * moves; a known one is refreshed at most once a second, as OVS. Returns true if the port of
     * the address changed (a new or moved entry).
     */
    public boolean learn(long mac, int vlan, int port, long nowMs) {
        if (!mayLearn(mac)) {
            return false;
        }
        long now = nowMs / 1000;
        long k = key(mac, vlan);
        Entry e = find(k);
        if (e != null && e.port == port && age(e, now) == 0) {
            return false;
        }
        boolean changed;
        if (e == null) {
            if (size >= maxEntries) {
                evict(oldest);
            }
            e = new Entry(k);
            insert(e);
            e.port = port;
            totalLearned++;
            LEARNED.inc();
            changed = true;
        } else {
            unlinkLru(e);
            changed = e.port != port;
            if (changed) {
                totalMoved++;
                MOVED.inc();
                e.port = port;
            }
        }
        e.expires = now + idleTime;
        appendLru(e);
        return changed;
    }

    /** Seconds since 'e' was last learned. */
    public int age(Entry e, long nowSec) {
        return (int) (idleTime - (e.expires - nowSec));
    }

    /** Expires the entries idle for too long and trims the table to its maximum size. */
    public void run(long nowMs) {
        long now = nowMs / 1000;
        while (oldest != null && (size > maxEntries || now >= oldest.expires)) {
            if (size > maxEntries) {
                evict(oldest);
            } else {
                totalExpired++;
                EXPIRED.inc();
                remove(oldest);
            }
        }
    }

    /** When the next entry expires, in ms, or Long.MAX_VALUE with none: for the poll loop's timer. */
    public long nextExpiryMs() {
        return oldest == null ? Long.MAX_VALUE : oldest.expires * 1000;
    }

    private void evict(Entry e) {
        totalEvicted++;
        EVICTED.inc();
        remove(e);
    }

    /** Forgets every entry. */
    public void flush() {
        while (oldest != null) {
            remove(oldest);
        }
    }

    /** Forgets the entries of 'port' (gone, or its VLAN configuration changed). */
    public void flushPort(int port) {
        for (Entry e = oldest; e != null;) {
            Entry next = e.newer;
            if (e.port == port) {
                remove(e);
            }
            e = next;
        }
    }

    /** Visits every entry, least recently learned first, as fdb/show lists them. */
    public void forEach(Consumer<Entry> visitor) {
        for (Entry e = oldest; e != null; e = e.newer) {
            visitor.accept(e);
        }
    }

    public long totalLearned() {
        return totalLearned;
    }

    public long totalExpired() {
        return totalExpired;
    }

    public long totalEvicted() {
        return totalEvicted;
    }

    public long totalMoved() {
        return totalMoved;
    }

    /** Resets the totals, as fdb/stats-clear. */
    public void clearStatistics() {
        totalLearned = totalExpired = totalEvicted = totalMoved = 0;
    }

    private void insert(Entry e) {
        if (size + 1 > buckets.length) {
            rehash(buckets.length * 2);
        }
        int b = bucket(e.key);
        e.nextInBucket = buckets[b];
        buckets[b] = e;
        size++;
    }

    private void rehash(int n) {
        Entry[] old = buckets;
        buckets = new Entry[n];
        for (Entry head : old) {
            for (Entry e = head; e != null;) {
                Entry next = e.nextInBucket;
                int b = bucket(e.key);
                e.nextInBucket = buckets[b];
                buckets[b] = e;
                e = next;
            }
        }
    }

    private void remove(Entry e) {
        int b = bucket(e.key);
        if (buckets[b] == e) {
            buckets[b] = e.nextInBucket;
        } else {
            for (Entry p = buckets[b]; p != null; p = p.nextInBucket) {
                if (p.nextInBucket == e) {
                    p.nextInBucket = e.nextInBucket;
                    break;
                }
            }
        }
        e.nextInBucket = null;
        unlinkLru(e);
        size--;
    }

    private void unlinkLru(Entry e) {
        if (e.older != null) {
            e.older.newer = e.newer;
        } else {
            oldest = e.newer;
        }
        if (e.newer != null) {
            e.newer.older = e.older;
        } else {
            newest = e.older;
        }
        e.older = e.newer = null;
    }

    private void appendLru(Entry e) {
        e.older = newest;
        if (newest != null) {
            newest.newer = e;
        } else {
            oldest = e;
        }
        newest = e;
    }
}
