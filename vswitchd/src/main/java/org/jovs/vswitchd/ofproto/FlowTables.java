package org.jovs.vswitchd.ofproto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jovs.vswitchd.flow.FlowKey;

/**
 * The flow tables 0..254 of one bridge, with OpenFlow's flow_mod semantics as OVS implements
 * them: add (replacing an identical rule, with OFPFF_CHECK_OVERLAP refusing an overlapping one),
 * loose and strict modify and delete with cookie and out_port filters, priority lookup, and
 * idle and hard timeouts, and undo of a series of flow mods (for bundles). Times are whatever
 * clock the caller passes (ms), so tests inject theirs. Pure logic; main thread only.
 */
final class FlowTables {
    static final int N_TABLES = 255;
    static final int ALL_TABLES = 0xff;
    /** OVS's internal table: hidden from controllers, and no flow mod may add to it. */
    static final int READ_ONLY_TABLE = 254;

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
     * How to take back what {@link #apply(FlowMod, long, Undo)} did, so that a bundle's flow mods
     * take effect all or not at all: each change pushes its inverse, and {@link #revert()} runs
     * them newest first, each on the tables exactly as the change left them.
     */
    static final class Undo {
        private final ArrayDeque<Runnable> steps = new ArrayDeque<>();

        private void push(Runnable step) {
            steps.push(step);
        }

        /** Undoes every recorded change, newest first; afterwards there is nothing left to undo. */
        void revert() {
            while (!steps.isEmpty()) {
                steps.pop().run();
            }
        }
    }

    /**
     * Refuses a flow mod that no table state could accept, as OVS does when it decodes one
     * (before a bundle takes it in): an add to the hidden, read-only table 254 (OFPBRC_EPERM).
     */
    static void check(FlowMod mod) throws OfError.OfErrorException {
        if (mod.table() != ALL_TABLES && mod.table() >= N_TABLES) {
            throw OfError.FLOW_MOD_BAD_TABLE_ID.exception("table " + mod.table());
        }
        if (mod.command() == FlowMod.Command.ADD && mod.table() == READ_ONLY_TABLE) {
            throw OfError.BAD_REQUEST_EPERM.exception("table " + READ_ONLY_TABLE + " is read-only");
        }
    }

    /**
     * Applies 'mod' at time 'now' and returns the rules it deleted (for FLOW_REMOVED messages).
     * Throws the OpenFlow error to report if it cannot, having changed nothing.
     */
    List<Removed> apply(FlowMod mod, long now) throws OfError.OfErrorException {
        return apply(mod, now, null);
    }

    /** As {@link #apply(FlowMod, long)}, recording in 'undo' (if not null) how to take it back. */
    List<Removed> apply(FlowMod mod, long now, Undo undo) throws OfError.OfErrorException {
        check(mod);
        switch (mod.command()) {
        case ADD:
            add(mod, now, undo);
            return List.of();
        case MODIFY:
        case MODIFY_STRICT:
            List<FlowEntry> hits = select(mod);
            if (hits.isEmpty()) {
                if (mod.addIfMissing()) {
                    add(mod, now, undo);
                }
                return List.of();
            }
            for (FlowEntry e : hits) {
                if (undo != null) {
                    undo.push(e.saveModifiable());
                }
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
                List<FlowEntry> table = tables.get(e.table);
                int at = table.indexOf(e);
                table.remove(at);
                if (undo != null) {
                    undo.push(() -> table.add(at, e));
                }
                removed.add(new Removed(e, RemovedReason.DELETE));
            }
            return removed;
        }
    }

    private void add(FlowMod mod, long now, Undo undo) throws OfError.OfErrorException {
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
                mod.idleTimeout(), mod.hardTimeout(), mod.sendFlowRemoved(), mod.resetCounts(), mod.importance(), now);
        if (same != null) {
            int at = table.indexOf(same);
            table.set(at, entry);
            if (undo != null) {
                FlowEntry old = same;
                undo.push(() -> table.set(at, old));
            }
            return;
        }
        int at = 0;
        while (at < table.size() && table.get(at).priority >= entry.priority) {
            at++;
        }
        table.add(at, entry);
        if (undo != null) {
            int added = at;
            undo.push(() -> table.remove(added));
        }
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
