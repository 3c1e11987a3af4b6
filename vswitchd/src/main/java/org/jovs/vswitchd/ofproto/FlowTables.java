package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jovs.vswitchd.flow.FlowKey;

/**
 * The flow tables 0..254 of one bridge, with OpenFlow's flow_mod semantics as OVS implements
 * them: add (replacing an identical rule, with OFPFF_CHECK_OVERLAP refusing an overlapping one),
 * loose and strict modify and delete with cookie and out_port filters, priority lookup, and
 * idle and hard timeouts. Times are whatever clock the caller passes (ms), so tests inject
 * theirs. Pure logic; main thread only.
 */
final class FlowTables {
    static final int N_TABLES = 255;
    static final int ALL_TABLES = 0xff;

    /** Why a flow left its table, as OFPRR_*. */
    enum RemovedReason {
        IDLE_TIMEOUT, HARD_TIMEOUT, DELETE
    }

    record Removed(FlowEntry entry, RemovedReason reason) {
    }

    /** Each table's rules, highest priority first, older first among equals. */
    private final List<List<FlowEntry>> tables = new ArrayList<>();
    private final long[] lookups = new long[N_TABLES];
    private final long[] matched = new long[N_TABLES];

    FlowTables() {
        for (int i = 0; i < N_TABLES; i++) {
            tables.add(new ArrayList<>());
        }
    }

    List<FlowEntry> table(int id) {
        return tables.get(id);
    }

    int flowCount(int table) {
        return tables.get(table).size();
    }

    long lookupCount(int table) {
        return lookups[table];
    }

    long matchedCount(int table) {
        return matched[table];
    }

    /** The highest-priority rule of 'table' that matches 'key', or null; counts the lookup. */
    FlowEntry lookup(int table, FlowKey key) {
        lookups[table]++;
        for (FlowEntry e : tables.get(table)) {
            if (e.match.matches(key)) {
                matched[table]++;
                return e;
            }
        }
        return null;
    }

    /**
     * Applies 'mod' at time 'now' and returns the rules it deleted (for FLOW_REMOVED messages).
     * Throws the OpenFlow error to report if it cannot.
     */
    List<Removed> apply(FlowMod mod, long now) throws OfError.OfErrorException {
        if (mod.table() != ALL_TABLES && mod.table() >= N_TABLES) {
            throw OfError.FLOW_MOD_BAD_TABLE_ID.exception("table " + mod.table());
        }
        switch (mod.command()) {
        case ADD:
            add(mod, now);
            return List.of();
        case MODIFY:
        case MODIFY_STRICT:
            List<FlowEntry> hits = select(mod);
            if (hits.isEmpty()) {
                if (mod.addIfMissing()) {
                    add(mod, now);
                }
                return List.of();
            }
            for (FlowEntry e : hits) {
                e.actions = List.copyOf(mod.actions());
                if (mod.newCookie() != null) {
                    e.cookie = mod.newCookie();
                }
                e.modified = now;
                if (mod.resetCounts()) {
                    e.packets = 0;
                    e.bytes = 0;
                }
            }
            return List.of();
        default:
            List<Removed> removed = new ArrayList<>();
            for (FlowEntry e : select(mod)) {
                tables.get(e.table).remove(e);
                removed.add(new Removed(e, RemovedReason.DELETE));
            }
            return removed;
        }
    }

    private void add(FlowMod mod, long now) throws OfError.OfErrorException {
        int tableId = mod.table() == ALL_TABLES ? 0 : mod.table();
        List<FlowEntry> table = tables.get(tableId);
        FlowEntry same = null;
        for (FlowEntry e : table) {
            if (e.priority == mod.priority() && e.match.equals(mod.match())) {
                same = e;
            } else if (mod.checkOverlap() && e.priority == mod.priority() && e.match.overlaps(mod.match())) {
                throw OfError.FLOW_MOD_OVERLAP.exception("overlaps " + e.match);
            }
        }
        long cookie = mod.newCookie() != null ? mod.newCookie() : mod.cookie();
        FlowEntry entry = new FlowEntry(tableId, mod.priority(), mod.match(), cookie, mod.actions(),
                mod.idleTimeout(), mod.hardTimeout(), mod.sendFlowRemoved(), mod.resetCounts(), now);
        if (same != null) {
            table.set(table.indexOf(same), entry);
            return;
        }
        int at = 0;
        while (at < table.size() && table.get(at).priority >= entry.priority) {
            at++;
        }
        table.add(at, entry);
    }

    /** The rules 'mod' (a modify or delete) selects, in table order. */
    List<FlowEntry> select(FlowMod mod) {
        List<FlowEntry> out = new ArrayList<>();
        boolean strict = mod.command().isStrict();
        for (int t = 0; t < N_TABLES; t++) {
            if (mod.table() != ALL_TABLES && mod.table() != t) {
                continue;
            }
            for (FlowEntry e : tables.get(t)) {
                boolean hit = strict ? e.priority == mod.priority() && e.match.equals(mod.match())
                        : e.match.isWithin(mod.match());
                if (hit && ((e.cookie ^ mod.cookie()) & mod.cookieMask()) == 0
                        && (mod.outPort() == OfPorts.NONE || e.outputsTo(mod.outPort()))) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Removes the rules whose idle or hard timeout passed at 'now'. */
    List<Removed> expire(long now) {
        List<Removed> out = new ArrayList<>();
        for (List<FlowEntry> table : tables) {
            for (Iterator<FlowEntry> it = table.iterator(); it.hasNext();) {
                FlowEntry e = it.next();
                RemovedReason why = null;
                if (e.hardTimeout > 0 && now >= e.modified + e.hardTimeout * 1000L) {
                    why = RemovedReason.HARD_TIMEOUT;
                } else if (e.idleTimeout > 0 && now >= e.used + e.idleTimeout * 1000L) {
                    why = RemovedReason.IDLE_TIMEOUT;
                }
                if (why != null) {
                    it.remove();
                    out.add(new Removed(e, why));
                }
            }
        }
        return out;
    }

    /** The earliest time a timeout may expire a rule, or Long.MAX_VALUE. */
    long nextExpiry() {
        long next = Long.MAX_VALUE;
        for (List<FlowEntry> table : tables) {
            for (FlowEntry e : table) {
                if (e.hardTimeout > 0) {
                    next = Math.min(next, e.modified + e.hardTimeout * 1000L);
                }
                if (e.idleTimeout > 0) {
                    next = Math.min(next, e.used + e.idleTimeout * 1000L);
                }
            }
        }
        return next;
    }

    /** Deletes every rule of every table (ofproto_flush_flows); no FLOW_REMOVED is sent. */
    void clear() {
        tables.forEach(List::clear);
    }
}
