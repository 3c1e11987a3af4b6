package org.jovs.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jovs.core.natives.Native;

/**
 * The main process's requests from submission until the worker acknowledges them: encoded
 * messages in one byte ring (the same bytes serve the first send and any replay), plus one record
 * per request, in sequence order.
 *
 * <p>Ring positions are logical byte offsets that only grow: {@code tail <= sent <= head}. Bytes in
 * [tail, head) belong to unacknowledged requests; [sent, head) are not yet in the socket. The
 * ring's capacity doubles on demand up to the bound; {@link #fits} tells the caller whether one
 * more message stays within it.
 *
 * <p>A record either has its message in the ring ({@code pos >= 0}), or is <em>resolved</em>
 * ({@code pos == -1}): it was settled without the worker (inline fallback, failure, drop) and only
 * waits for its turn so that reply callbacks keep submission order. Sequence numbers of records
 * are contiguous: record i has sequence number {@code firstSeq() + i}.
 *
 * <p>Pure bookkeeping, no system calls except close(2) on fds it owns: {@link #flush} writes
 * through an {@link Output}. Not thread-safe.
 */
final class RequestQueue {
    /** Writes ring bytes without blocking; same contract as UnixSocket.send with wait = false. */
    interface Output {
        long send(ByteBuffer buf, int off1, int len1, int off2, int len2, int[] fds, int nFds);
    }

    /**
     * State of a request beyond its bytes, allocated only for requests with a reply callback or
     * fds, or settled without the worker.
     */
    static final class Entry {
        final ReplyCallback callback;
        /** Duplicates of the request's fds, owned by the queue until the request is acknowledged. */
        int[] fds;
        /** The outcome, once settled without the worker. */
        WorkerReply result;

        Entry(ReplyCallback callback, int[] fds) {
            this.callback = callback;
            this.fds = fds;
        }
    }

    private static final int INITIAL_RING = 256 * 1024;
    private static final int INITIAL_RECORDS = 1024;

    private final long limit;
    private final int maxCapacity;
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER).order(ByteOrder.nativeOrder());

    private ByteBuffer ring;
    private int mask;
    private long tail;
    private long sent;
    private long head;

    private long[] pos = new long[INITIAL_RECORDS];
    private int[] len = new int[INITIAL_RECORDS];
    private int[] handler = new int[INITIAL_RECORDS];
    private Entry[] entry = new Entry[INITIAL_RECORDS];
    private int first;
    private int count;
    private long firstSeq = 1;

    /* Sequence numbers of unsent requests that carry fds, in order. */
    private long[] fdSeqs = new long[8];
    private int fdHead;
    private int fdCount;

    /** 'limit' bounds the bytes of unacknowledged requests. */
    RequestQueue(long limit) {
        this.limit = limit;
        this.maxCapacity = (int) Math.min(1L << 30, Long.highestOneBit(limit - 1) << 1);
        int cap = Math.min(INITIAL_RING, maxCapacity);
        this.ring = newRing(cap);
        this.mask = cap - 1;
    }

    /** True if a message of 'bytes' more stays within the bound. */
    boolean fits(int bytes) {
        return head - tail + bytes <= limit;
    }

    /** Bytes held for unacknowledged requests. */
    long queuedBytes() {
        return head - tail;
    }

    /** Bytes not yet handed to the socket. */
    long unsent() {
        return head - sent;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    long firstSeq() {
        return firstSeq;
    }

    /** The sequence number of the newest record, or firstSeq() - 1 if empty. */
    long lastSeq() {
        return firstSeq + count - 1;
    }

    /**
     * Encodes a request with the bytes between position and limit of 'payload' (may be null) and
     * records it. The queue takes ownership of 'fds' (already duplicated by the caller) through
     * 'e'; 'e' may be null if there are neither fds nor callback.
     *
     * @return the request's sequence number
     */
    long append(int handlerId, int flags, ByteBuffer payload, Entry e) {
        int plen = payload == null ? 0 : payload.remaining();
        int total = Frame.HEADER + plen;
        ensureCapacity(total);
        long seq = firstSeq + count;
        int nFds = e != null && e.fds != null ? e.fds.length : 0;
        long at = head;
        int off = (int) (at & mask);
        if (off + Frame.HEADER <= ring.capacity()) {
            Frame.putHeader(ring, off, Frame.REQUEST, nFds, plen, handlerId, flags, seq);
        } else {
            Frame.putHeader(header, 0, Frame.REQUEST, nFds, plen, handlerId, flags, seq);
            copyIn(at, header, 0, Frame.HEADER);
        }
        if (plen > 0) {
            copyIn(at + Frame.HEADER, payload, payload.position(), plen);
        }
        head += total;
        addRecord(at, total, handlerId, e);
        if (nFds > 0) {
            pushFd(seq);
        }
        return seq;
    }

    /** Records a request already settled without the worker (it only waits for its turn). */
    long appendResolved(int handlerId, Entry e) {
        long seq = firstSeq + count;
        addRecord(-1, 0, handlerId, e);
        return seq;
    }

    /** True if record 'i' (0 = oldest) still has its message in the ring. */
    boolean inRing(int i) {
        return pos[slot(i)] >= 0;
    }

    /** True if record 'i' is in the ring and entirely handed to the socket. */
    boolean fullySent(int i) {
        int s = slot(i);
        return pos[s] >= 0 && pos[s] + len[s] <= sent;
    }

    /** True if at least one byte of record 'i' was handed to the socket. */
    boolean partlySent(int i) {
        int s = slot(i);
        return pos[s] >= 0 && pos[s] < sent;
    }

    /** The sequence number of the newest record partly handed to the socket, or firstSeq() - 1. */
    long lastPartlySentSeq() {
        for (int i = count - 1; i >= 0; i--) {
            if (partlySent(i)) {
                return firstSeq + i;
            }
        }
        return firstSeq - 1;
    }

    int handlerAt(int i) {
        return handler[slot(i)];
    }

    Entry entryAt(int i) {
        return entry[slot(i)];
    }

    void setEntryAt(int i, Entry e) {
        entry[slot(i)] = e;
    }

    /** A heap copy of record 'i''s payload, positioned at 0. */
    ByteBuffer payloadCopy(int i) {
        int s = slot(i);
        int plen = len[s] - Frame.HEADER;
        ByteBuffer copy = ByteBuffer.allocate(plen);
        long at = pos[s] + Frame.HEADER;
        int off = (int) (at & mask);
        int firstPart = Math.min(plen, ring.capacity() - off);
        copy.put(0, ring, off, firstPart);
        copy.put(firstPart, ring, 0, plen - firstPart);
        return copy;
    }

    /**
     * Removes the oldest record, freeing its ring bytes and closing the fds its entry still holds.
     *
     * @return its entry (may be null)
     */
    Entry pop() {
        int s = first;
        if (pos[s] >= 0) {
            tail = pos[s] + len[s];
        }
        Entry e = entry[s];
        if (e != null && e.fds != null) {
            FrameReader.closeAll(e.fds);
            e.fds = null;
        }
        entry[s] = null;
        first = (first + 1) & (pos.length - 1);
        count--;
        firstSeq++;
        return e;
    }

    /**
     * Pops, up to sequence number 'seq', the oldest records that need nothing beyond freeing their
     * bytes: in the ring, entirely sent, without entry. Stops at the first other record.
     *
     * @return how many it popped
     */
    int popPlain(long seq) {
        int n = 0;
        int m = pos.length - 1;
        while (count > 0 && firstSeq <= seq) {
            int s = first;
            long end = pos[s] + len[s];
            if (entry[s] != null || pos[s] < 0 || end > sent) {
                break;
            }
            tail = end;
            first = (s + 1) & m;
            count--;
            firstSeq++;
            n++;
        }
        return n;
    }

    /**
     * Writes unsent bytes until the socket is full. The fds of a message go with the write that
     * begins with its header, so a write never runs past the next fd-carrying header.
     *
     * @return 0 when everything is sent, -EAGAIN when the socket is full, or another negative errno
     */
    long flush(Output out) {
        while (sent < head) {
            long boundary = head;
            int[] fds = null;
            if (fdCount > 0) {
                int s = slot((int) (fdSeqs[fdHead] - firstSeq));
                if (pos[s] == sent) {
                    fds = entry[s].fds;
                    if (fdCount > 1) {
                        boundary = pos[slot((int) (fdSeqs[(fdHead + 1) & (fdSeqs.length - 1)] - firstSeq))];
                    }
                } else {
                    boundary = pos[s];
                }
            }
            int cap = ring.capacity();
            int off = (int) (sent & mask);
            int total = (int) (boundary - sent);
            int len1 = Math.min(total, cap - off);
            int len2 = total - len1;
            long n = out.send(ring, off, len1, 0, len2, fds, fds == null ? 0 : fds.length);
            if (n < 0) {
                return n;
            }
            if (fds != null) {
                fdHead = (fdHead + 1) & (fdSeqs.length - 1);
                fdCount--;
            }
            sent += n;
            if (n < total) {
                return -Native.EAGAIN;
            }
        }
        return 0;
    }

    /**
     * After a worker death: keeps, in order, the messages of records i with keep[i] (they will be
     * sent to the next worker from the start) and takes every other record out of the ring
     * (resolved). Records already resolved are unaffected.
     */
    void rebuild(boolean[] keep) {
        ByteBuffer fresh = newRing(ring.capacity());
        int freshMask = fresh.capacity() - 1;
        long at = 0;
        fdHead = 0;
        fdCount = 0;
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            if (pos[s] < 0) {
                continue;
            }
            if (keep[i]) {
                copy(ring, mask, pos[s], fresh, freshMask, at, len[s]);
                pos[s] = at;
                at += len[s];
                if (entry[s] != null && entry[s].fds != null) {
                    pushFd(firstSeq + i);
                }
            } else {
                pos[s] = -1;
            }
        }
        ring = fresh;
        mask = freshMask;
        tail = 0;
        sent = 0;
        head = at;
    }

    /** Closes every fd the queue owns (at shutdown). */
    void closeFds() {
        for (int i = 0; i < count; i++) {
            Entry e = entry[slot(i)];
            if (e != null && e.fds != null) {
                FrameReader.closeAll(e.fds);
                e.fds = null;
            }
        }
    }

    private int slot(int i) {
        return (first + i) & (pos.length - 1);
    }

    private void addRecord(long at, int total, int handlerId, Entry e) {
        if (count == pos.length) {
            growRecords();
        }
        int s = slot(count);
        pos[s] = at;
        len[s] = total;
        handler[s] = handlerId;
        entry[s] = e;
        count++;
    }

    private void growRecords() {
        int n = pos.length;
        long[] p = new long[n * 2];
        int[] l = new int[n * 2];
        int[] h = new int[n * 2];
        Entry[] e = new Entry[n * 2];
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            p[i] = pos[s];
            l[i] = len[s];
            h[i] = handler[s];
            e[i] = entry[s];
        }
        pos = p;
        len = l;
        handler = h;
        entry = e;
        first = 0;
    }

    private void pushFd(long seq) {
        if (fdCount == fdSeqs.length) {
            long[] f = new long[fdSeqs.length * 2];
            for (int i = 0; i < fdCount; i++) {
                f[i] = fdSeqs[(fdHead + i) & (fdSeqs.length - 1)];
            }
            fdSeqs = f;
            fdHead = 0;
        }
        fdSeqs[(fdHead + fdCount) & (fdSeqs.length - 1)] = seq;
        fdCount++;
    }

    private void ensureCapacity(int more) {
        long needed = head - tail + more;
        int cap = ring.capacity();
        if (needed <= cap) {
            return;
        }
        int newCap = cap;
        while (newCap < needed && newCap < maxCapacity) {
            newCap *= 2;
        }
        if (newCap < needed) {
            throw new IllegalStateException("request queue over its bound; callers must check fits()");
        }
        ByteBuffer fresh = newRing(newCap);
        copy(ring, mask, tail, fresh, newCap - 1, tail, (int) (head - tail));
        ring = fresh;
        mask = newCap - 1;
    }

    private void copyIn(long at, ByteBuffer src, int srcOff, int n) {
        int off = (int) (at & mask);
        int firstPart = Math.min(n, ring.capacity() - off);
        ring.put(off, src, srcOff, firstPart);
        if (firstPart < n) {
            ring.put(0, src, srcOff + firstPart, n - firstPart);
        }
    }

    /** Copies 'n' bytes between rings, each addressed by logical position and wrapping. */
    private static void copy(ByteBuffer src, int srcMask, long srcPos, ByteBuffer dst, int dstMask, long dstPos,
            int n) {
        while (n > 0) {
            int so = (int) (srcPos & srcMask);
            int d = (int) (dstPos & dstMask);
            int chunk = Math.min(n, Math.min(src.capacity() - so, dst.capacity() - d));
            dst.put(d, src, so, chunk);
            srcPos += chunk;
            dstPos += chunk;
            n -= chunk;
        }
    }

    private static ByteBuffer newRing(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }
}
