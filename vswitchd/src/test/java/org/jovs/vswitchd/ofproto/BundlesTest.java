package org.jovs.vswitchd.ofproto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The bundle state machine against OVS's bundles.c: which requests succeed, which error each
 * wrong one gets, and whether the bundle survives it; implicit creation by an add; what
 * counts as use for the idle timeout.
 */
class BundlesTest {
    private static final int ORDERED = Bundles.ORDERED;
    private static final int BOTH = Bundles.ATOMIC | Bundles.ORDERED;
    private final Bundles bundles = new Bundles();
    private final byte[] openMsg = {1};
    private final byte[] addMsg = {2};

    private static Bundles.Entry entry(byte[] msg) {
        return new Bundles.Entry(msg, new PortMod(1, 0, null));
    }

    private OfError error(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(OfError.OfErrorException.class, e).error;
    }

    @Test
    void openAddCloseCommit() throws Exception {
        bundles.open(1, BOTH, openMsg, 0);
        bundles.add(1, BOTH, entry(addMsg), addMsg, 10);
        bundles.add(1, BOTH, entry(addMsg), addMsg, 20);
        bundles.close(1, BOTH, 30);
        Bundles.Bundle b = bundles.takeForCommit(1, BOTH);
        assertEquals(2, b.entries.size());
        assertTrue(b.isAtomic());
        assertSame(openMsg, b.msg);
        assertTrue(bundles.isEmpty(), "a committed bundle is gone");
    }

    @Test
    void doubleOpenIsBadIdAndDropsTheBundle() throws Exception {
        bundles.open(1, ORDERED, openMsg, 0);
        assertEquals(OfError.BUNDLE_BAD_ID, error(() -> bundles.open(1, ORDERED, openMsg, 0)));
        assertNull(bundles.get(1));
        // So a third open succeeds, as with OVS.
        bundles.open(1, ORDERED, openMsg, 0);
    }

    @Test
    void unknownIdsAreBadId() {
        assertEquals(OfError.BUNDLE_BAD_ID, error(() -> bundles.close(7, ORDERED, 0)));
        assertEquals(OfError.BUNDLE_BAD_ID, error(() -> bundles.discard(7)));
        assertEquals(OfError.BUNDLE_BAD_ID, error(() -> bundles.takeForCommit(7, ORDERED)));
    }

    @Test
    void closedBundles() throws Exception {
        bundles.open(1, ORDERED, openMsg, 0);
        bundles.close(1, ORDERED, 0);
        assertEquals(OfError.BUNDLE_CLOSED, error(() -> bundles.close(1, ORDERED, 0)));
        assertNull(bundles.get(1), "a second close drops the bundle");
        bundles.open(2, ORDERED, openMsg, 0);
        bundles.close(2, ORDERED, 0);
        assertEquals(OfError.BUNDLE_CLOSED, error(() -> bundles.add(2, ORDERED, entry(addMsg), addMsg, 0)));
        assertNull(bundles.get(2), "an add to a closed bundle drops it");
        // A closed bundle may still be committed.
        bundles.open(3, ORDERED, openMsg, 0);
        bundles.close(3, ORDERED, 0);
        assertNotNull(bundles.takeForCommit(3, ORDERED));
    }

    @Test
    void otherFlagsAreBadFlagsAndDropTheBundle() throws Exception {
        bundles.open(1, ORDERED, openMsg, 0);
        assertEquals(OfError.BUNDLE_BAD_FLAGS, error(() -> bundles.close(1, BOTH, 0)));
        assertNull(bundles.get(1));
        bundles.open(2, ORDERED, openMsg, 0);
        assertEquals(OfError.BUNDLE_BAD_FLAGS, error(() -> bundles.add(2, BOTH, entry(addMsg), addMsg, 0)));
        assertNull(bundles.get(2));
        bundles.open(3, ORDERED, openMsg, 0);
        assertEquals(OfError.BUNDLE_BAD_FLAGS, error(() -> bundles.takeForCommit(3, BOTH)));
        assertNull(bundles.get(3), "a commit drops the bundle whatever happens");
    }

    @Test
    void addMakesABundleThatQuotesIt() throws Exception {
        bundles.add(5, BOTH, entry(addMsg), addMsg, 0);
        Bundles.Bundle b = bundles.get(5);
        assertSame(addMsg, b.msg);
        assertEquals(BOTH, b.flags);
        bundles.discard(5);
        assertTrue(bundles.isEmpty());
    }

    @Test
    void idleBundlesExpireAndUseKeepsThemAlive() throws Exception {
        bundles.open(1, ORDERED, openMsg, 0);
        bundles.open(2, ORDERED, addMsg, 0);
        bundles.add(1, ORDERED, entry(addMsg), addMsg, 8000);
        // Expire what was last used at 1000 or before.
        List<byte[]> expired = bundles.expire(1000);
        assertEquals(1, expired.size());
        assertArrayEquals(addMsg, expired.get(0), "the message that made bundle 2");
        assertNull(bundles.get(2));
        bundles.close(1, ORDERED, 16000);
        assertTrue(bundles.expire(15999).isEmpty(), "the close counted as use");
        assertSame(openMsg, bundles.expire(16000).get(0));
        assertTrue(bundles.isEmpty());
    }

    @Test
    void failedRequestsAreNoUse() throws Exception {
        bundles.open(1, ORDERED, openMsg, 0);
        bundles.close(1, ORDERED, 5);
        assertThrows(OfError.OfErrorException.class, () -> bundles.discard(9));
        assertEquals(5, bundles.get(1).used);
    }
}
