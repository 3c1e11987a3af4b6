package org.jovs.vswitchd.ofproto;

import org.jovs.vswitchd.flow.FlowKey;

/**
 * A flow table match: for every {@link FlowField}, a value and a mask (1 bits must match), kept
 * normalised (value within mask) so that two matches for the same packets compare equal.
 * Mutable while being built by a decoder, then treated as immutable once in a rule. Pure logic.
 */
final class FlowMatch {
    private static final FlowField[] NONE = {};

    final FlowKey value = new FlowKey();
    final FlowKey mask = new FlowKey();
    /**
     * The fields with a non-zero mask, with their masks and values: all that a packet is checked
     * against, so that matching costs what the match uses. Empty for the catch-all match; rebuilt
     * after {@link #set}.
     */
    private FlowField[] used = NONE;
    private long[] usedMask = {};
    private long[] usedValue = {};

    /** The match-everything match. */
    FlowMatch() {
    }

    long value(FlowField f) {
        return f.get(value);
    }

    long mask(FlowField f) {
        return f.get(mask);
    }

    /** Sets field 'f' to 'v' under mask 'm'. */
    FlowMatch set(FlowField f, long v, long m) {
        f.set(mask, m);
        f.set(value, v & m);
        indexUsedFields();
        return this;
    }

    private void indexUsedFields() {
        int n = 0;
        for (FlowField f : FlowField.ALL) {
            n += isWildcard(f) ? 0 : 1;
        }
        used = new FlowField[n];
        usedMask = new long[n];
        usedValue = new long[n];
        int i = 0;
        for (FlowField f : FlowField.ALL) {
            if (!isWildcard(f)) {
                used[i] = f;
                usedMask[i] = mask(f);
                usedValue[i++] = value(f);
            }
        }
    }

    FlowMatch setExact(FlowField f, long v) {
        return set(f, v, f.fullMask);
    }

    boolean isWildcard(FlowField f) {
        return mask(f) == 0;
    }

    /** True if this match wildcards every field (matches every packet). */
    boolean isCatchAll() {
        return used.length == 0;
    }

    boolean isExact(FlowField f) {
        return mask(f) == f.fullMask;
    }

    /** True if packet 'k' matches. */
    boolean matches(FlowKey k) {
        for (int i = 0; i < used.length; i++) {
            if ((used[i].get(k) & usedMask[i]) != usedValue[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if every packet this match matches also matches 'filter', i.e. the match is at least
     * as specific as 'filter' and agrees with it: the rule selection of a loose modify or delete.
     */
    boolean isWithin(FlowMatch filter) {
        for (FlowField f : FlowField.ALL) {
            long fm = filter.mask(f);
            if ((mask(f) & fm) != fm || (value(f) & fm) != filter.value(f)) {
                return false;
            }
        }
        return true;
    }

    /** True if some packet matches both this and 'o' (OFPFF_CHECK_OVERLAP). */
    boolean overlaps(FlowMatch o) {
        for (FlowField f : FlowField.ALL) {
            long common = mask(f) & o.mask(f);
            if ((value(f) & common) != (o.value(f) & common)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object obj) {
        if (!(obj instanceof FlowMatch o)) {
            return false;
        }
        for (FlowField f : FlowField.ALL) {
            if (mask(f) != o.mask(f) || value(f) != o.value(f)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        long h = 0;
        for (FlowField f : FlowField.ALL) {
            h = h * 31 + value(f) * 17 + mask(f);
        }
        return Long.hashCode(h);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (FlowField f : FlowField.ALL) {
            if (!isWildcard(f)) {
                sb.append(sb.length() == 0 ? "" : ",").append(f.name().toLowerCase()).append('=')
                        .append(Long.toHexString(value(f)));
                if (!isExact(f)) {
                    sb.append('/').append(Long.toHexString(mask(f)));
                }
            }
        }
        return sb.toString();
    }
}
