package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundles of one OpenFlow connection, as OVS's bundles.c: the state machine of
 * OFPT_BUNDLE_CONTROL and OFPT_BUNDLE_ADD_MESSAGE (OpenFlow 1.4, and the ONF extension for
 * 1.3), without the wire format or the commit itself.
 *
 * <p>A bundle is made by OPEN or by the first ADD to an unknown ID, and holds the message that
 * made it (the one an OFPBFC_TIMEOUT error quotes). Errors follow OVS, including that most of
 * them also drop the bundle: OPEN of an existing ID (BAD_ID), CLOSE or ADD of a closed one
 * (BUNDLE_CLOSED), CLOSE, ADD or commit with other flags than the bundle's (BAD_FLAGS). A bundle
 * leaves for its commit whatever the commit's outcome. OPEN, CLOSE and ADD count as use; a
 * bundle unused for the idle timeout expires. Times are the caller's (ms). Pure logic; main
 * thread only.
 */
final class Bundles {
    /** OFPBF_ATOMIC: all or nothing. OVS's flow mods are atomic anyway; its port mods are not. */
    static final int ATOMIC = 1;
    /** OFPBF_ORDERED: in order, which OVS always is. */
    static final int ORDERED = 2;

    enum State {
        OPEN, CLOSED
    }

    /**
     * One message of a bundle: the OFPT_BUNDLE_ADD_MESSAGE as received (errors quote it) and what
     * its inner message asks, decoded when it was added.
     */
    record Entry(byte[] msg, Modification mod) {
    }

    static final class Bundle {
        final int id;
        final int flags;
        State state = State.OPEN;
        long used;
        /** The message that made the bundle. */
        final byte[] msg;
        final List<Entry> entries = new ArrayList<>();

        private Bundle(int id, int flags, byte[] msg, long now) {
            this.id = id;
            this.flags = flags;
            this.msg = msg;
            this.used = now;
        }

        boolean isAtomic() {
            return (flags & ATOMIC) != 0;
        }
    }

    private final Map<Integer, Bundle> bundles = new LinkedHashMap<>();

    boolean isEmpty() {
        return bundles.isEmpty();
    }

    /** The bundle with 'id', or null. */
    Bundle get(int id) {
        return bundles.get(id);
    }

    /** OPEN_REQUEST 'msg'. */
    void open(int id, int flags, byte[] msg, long now) throws OfError.OfErrorException {
        if (bundles.remove(id) != null) {
            throw OfError.BUNDLE_BAD_ID.exception("bundle " + Integer.toHexString(id) + " already exists");
        }
        bundles.put(id, new Bundle(id, flags, msg, now));
    }

    /** CLOSE_REQUEST: no more messages may be added. */
    void close(int id, int flags, long now) throws OfError.OfErrorException {
        Bundle b = existing(id);
        if (b.state == State.CLOSED) {
            bundles.remove(id);
            throw OfError.BUNDLE_CLOSED.exception("bundle " + Integer.toHexString(id) + " is closed");
        }
        checkFlags(b, flags);
        b.used = now;
        b.state = State.CLOSED;
    }

    /** DISCARD_REQUEST: the bundle goes, with its messages. */
    void discard(int id) throws OfError.OfErrorException {
        existing(id);
        bundles.remove(id);
    }

    /** ADD_MESSAGE 'msg', already decoded into 'entry'. */
    void add(int id, int flags, Entry entry, byte[] msg, long now) throws OfError.OfErrorException {
        Bundle b = bundles.get(id);
        if (b == null) {
            b = new Bundle(id, flags, msg, now);
            bundles.put(id, b);
        } else if (b.state == State.CLOSED) {
            bundles.remove(id);
            throw OfError.BUNDLE_CLOSED.exception("bundle " + Integer.toHexString(id) + " is closed");
        } else {
            checkFlags(b, flags);
        }
        b.used = now;
        b.entries.add(entry);
    }

    /** COMMIT_REQUEST: removes the bundle and returns it for the caller to apply. */
    Bundle takeForCommit(int id, int flags) throws OfError.OfErrorException {
        Bundle b = existing(id);
        bundles.remove(id);
        if (b.flags != flags) {
            throw OfError.BUNDLE_BAD_FLAGS.exception("flags " + flags + " != " + b.flags);
        }
        return b;
    }

    /** Removes every bundle last used at 'limit' or before; returns the messages that made them. */
    List<byte[]> expire(long limit) {
        List<byte[]> out = new ArrayList<>();
        for (Iterator<Bundle> it = bundles.values().iterator(); it.hasNext();) {
            Bundle b = it.next();
            if (b.used <= limit) {
                out.add(b.msg);
                it.remove();
            }
        }
        return out;
    }

    private Bundle existing(int id) throws OfError.OfErrorException {
        Bundle b = bundles.get(id);
        if (b == null) {
            throw OfError.BUNDLE_BAD_ID.exception("no bundle " + Integer.toHexString(id));
        }
        return b;
    }

    /** Drops 'b' and throws BAD_FLAGS unless 'flags' are its own. */
    private void checkFlags(Bundle b, int flags) throws OfError.OfErrorException {
        if (b.flags != flags) {
            bundles.remove(b.id);
            throw OfError.BUNDLE_BAD_FLAGS.exception("flags " + flags + " != " + b.flags);
        }
    }
}
