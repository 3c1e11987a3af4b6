package org.jovs.vswitchd.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * OpenFlow port numbers of one bridge, allocated as OVS's ofproto does (alloc_ofp_port()): a
 * requested number is honoured when it is free; otherwise the next number after the last one
 * allocated, wrapping within 1 to 32767, skipping numbers in use and, for an hour, numbers freed
 * recently (so that flows for an old port do not apply to a new one). Pure logic; 'now' is
 * monotonic milliseconds.
 */
final class OfportAllocator {
    /** OFPP_MAX: numbers from here up are reserved. */
    static final int OFPP_MAX = 0xff00;
    /** The bridge's own port (OFPP_LOCAL). */
    static final int OFPP_LOCAL = 0xfffe;
    private static final int AUTO_LIMIT = 32768;
    private static final long REUSE_AFTER_MS = 60L * 60 * 1000;
    private static final long IN_USE = Long.MAX_VALUE;

    /** Port number to the time it was freed, or IN_USE. */
    private final Map<Integer, Long> usage = new HashMap<>();
    private int lastAllocated;

    /**
     * Allocates a number for a new port, 'requested' if it is in 1..OFPP_MAX-1 and free (0 or
     * negative for none). Returns -1 if every number is in use.
     */
    int allocate(int requested, long now) {
        int port = requested;
        if (port <= 0 || port >= OFPP_MAX || usage.getOrDefault(port, 0L) == IN_USE) {
            port = search(now);
            if (port < 0) {
                return -1;
            }
        }
        usage.put(port, IN_USE);
        return port;
    }

    /** Marks 'port' as used by the bridge's own port or by a port found at startup. */
    void reserve(int port) {
        usage.put(port, IN_USE);
        if (port < AUTO_LIMIT) {
            lastAllocated = Math.max(lastAllocated, port);
        }
    }

    /** Frees 'port' at time 'now'. */
    void release(int port, long now) {
        if (usage.get(port) != null) {
            usage.put(port, now);
        }
    }

    private int search(long now) {
        int end = lastAllocated == 0 ? AUTO_LIMIT - 1 : lastAllocated;
        int lru = 0;
        long lruTime = IN_USE;
        for (;;) {
            if (++lastAllocated >= AUTO_LIMIT) {
                lastAllocated = 1;
            }
            long used = usage.getOrDefault(lastAllocated, 0L);
            if (used == 0) {
                return lastAllocated;
            } else if (used != IN_USE && used < now - REUSE_AFTER_MS) {
                usage.remove(lastAllocated);
                return lastAllocated;
            } else if (used < lruTime) {
                lruTime = used;
                lru = lastAllocated;
            }
            if (lastAllocated == end) {
                return lru != 0 ? lru : -1;
            }
        }
    }
}
