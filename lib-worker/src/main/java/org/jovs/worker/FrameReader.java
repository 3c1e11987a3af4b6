package org.jovs.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jovs.core.natives.Native;
import org.jovs.worker.natives.UnixSocket;

/**
 * Reads messages ({@link Frame}) from a stream socket in large chunks and parses as many as each
 * read brings. Used by both ends; each end names the message types it accepts.
 *
 * <h2>How fds are matched to messages</h2>
 * Linux's unix_stream_read_generic() may return bytes of earlier messages together with the first
 * segment of a later sendmsg(2) that carried fds, and it ends the read right after any segment
 * that carried fds. Senders attach a message's fds to the sendmsg(2) that begins with that
 * message's header, so the fds always arrive with the read that brings the header's first byte,
 * never later, and one read never brings two groups. The reader therefore keeps received groups in
 * a FIFO, in stream order, and hands the oldest group to the next parsed header that declares
 * fds. Two checks catch a broken sender: a header that declares fds must find a group of exactly
 * that size, and a group must be claimed by a header that starts within the read that brought it.
 *
 * <h2>Buffer lifetime</h2>
 * The payload of the current message lives in {@link #buffer()} until the next {@link #fill}. If
 * a caller must keep a payload while reading on (a reply callback that calls
 * WorkerClient.request(), which may drain more replies), it {@link #pin()}s the buffer: fills then
 * never move bytes in place and switch to a fresh buffer when they need room.
 *
 * <p>A header is validated before anything is allocated for its payload: a corrupt length can never
 * cause a huge allocation (OVS bug #14616). Not thread-safe.
 */
final class FrameReader {
    private static final int INITIAL_SIZE = 256 * 1024;
    /** Compact or switch buffers rather than read into less free space than this. */
    private static final int MIN_READ = 16 * 1024;

    private final UnixSocket sock;
    private final int acceptedTypes;

    private ByteBuffer buf = newBuffer(INITIAL_SIZE);
    private int start;          /* first unparsed byte */
    private int end;            /* end of received bytes */
    private long startPos;      /* stream position of 'start' */
    private int need = Frame.HEADER; /* bytes from 'start' needed for the next message */
    private int pins;
    private boolean lastReadShort;

    /* FIFO of received fd groups, with the stream positions where each group's read began and ended. */
    private int[][] groups = new int[4][];
    private long[] groupStarts = new long[4];
    private long[] groupEnds = new long[4];
    private int groupHead;
    private int groupCount;

    /* The message returned by the last next(). */
    private int type;
    private int length;
    private int handler;
    private int flags;
    private long cookie;
    private int payloadAt;
    private int[] fds;

    /** 'acceptedTypes' lists the Frame types this end may receive. */
    FrameReader(UnixSocket sock, int... acceptedTypes) {
        this.sock = sock;
        int mask = 0;
        for (int t : acceptedTypes) {
            mask |= 1 << t;
        }
        this.acceptedTypes = mask;
    }

    /**
     * Parses the next complete message, if the buffer holds one. Its fields stay valid until the
     * next call; its fds (if any) pass to the caller.
     *
     * @return false if more bytes are needed
     * @throws CorruptChannelException if the stream cannot be a valid message sequence
     */
    boolean next() throws CorruptChannelException {
        int avail = end - start;
        if (avail < Frame.HEADER) {
            need = Frame.HEADER;
            return false;
        }
        ByteBuffer b = buf;
        int at = start;
        long w0 = b.getLong(at);
        int magic = (int) w0 & 0xffff;
        if (magic != Frame.MAGIC) {
            throw new CorruptChannelException(String.format("bad magic 0x%04x at start of message", magic));
        }
        int t = (int) (w0 >>> 16) & 0xff;
        if (t > 30 || (acceptedTypes & (1 << t)) == 0) {
            throw new CorruptChannelException("unexpected message " + Frame.typeName(t));
        }
        int n = (int) (w0 >>> 24) & 0xff;
        if (n > UnixSocket.MAX_FDS) {
            throw new CorruptChannelException("message claims " + n + " fds (at most " + UnixSocket.MAX_FDS + ")");
        }
        int len = (int) (w0 >>> 32);
        if (len < 0 || len > Frame.MAX_PAYLOAD) {
            throw new CorruptChannelException("message length " + Integer.toUnsignedString(len)
                    + " exceeds maximum " + Frame.MAX_PAYLOAD);
        }
        if (groupCount > 0 && groupEnds[groupHead] <= startPos) {
            throw new CorruptChannelException("received fds that no message claimed");
        }
        int total = Frame.HEADER + len;
        if (avail < total) {
            need = total;
            return false;
        }
        int[] got = null;
        if (n > 0) {
            if (groupCount == 0) {
                throw new CorruptChannelException("message claims " + n + " fds but none arrived");
            }
            if (groupStarts[groupHead] > startPos) {
                throw new CorruptChannelException("fds arrived after the start of the message that claims them");
            }
            got = popGroup();
            if (got.length != n) {
                closeAll(got);
                throw new CorruptChannelException("message claims " + n + " fds but " + got.length + " arrived");
            }
        }
        type = t;
        length = len;
        long w1 = b.getLong(at + Frame.OFF_HANDLER);
        handler = (int) w1;
        flags = (int) (w1 >>> 32);
        cookie = b.getLong(at + Frame.OFF_COOKIE);
        payloadAt = at + Frame.HEADER;
        fds = got;
        start += total;
        startPos += total;
        need = Frame.HEADER;
        return true;
    }

    /**
     * Reads what the socket has (or, with 'wait', blocks until it has something).
     *
     * @return bytes read, 0 at end of file, or a negative errno (-EAGAIN when empty)
     */
    long fill(boolean wait) {
        makeRoom();
        int room = buf.capacity() - end;
        long n = sock.receive(buf, end, room, wait);
        if (n > 0) {
            long readStart = startPos + (end - start);
            end += (int) n;
            lastReadShort = n < room;
            int[] group = sock.takeReceivedFds();
            if (group != null) {
                pushGroup(group, readStart, readStart + n);
            }
        }
        return n;
    }

    /** True if the last fill() returned less than it had room for: the socket was drained. */
    boolean lastReadShort() {
        return lastReadShort;
    }

    /** True if no partial message and no unclaimed fds are buffered. */
    boolean atBoundary() {
        return start == end && groupCount == 0;
    }

    /** Keeps the current buffer's bytes in place until {@link #unpin()}. Calls nest. */
    void pin() {
        pins++;
    }

    void unpin() {
        pins--;
    }

    int type() {
        return type;
    }

    int length() {
        return length;
    }

    int handler() {
        return handler;
    }

    int flags() {
        return flags;
    }

    long cookie() {
        return cookie;
    }

    /** The buffer holding the current message's payload at {@link #payloadAt()}. */
    ByteBuffer buffer() {
        return buf;
    }

    int payloadAt() {
        return payloadAt;
    }

    /** The current message's fds (null if none); the caller takes ownership. */
    int[] takeFds() {
        int[] f = fds;
        fds = null;
        return f;
    }

    /** Closes every fd this reader still owns. The socket itself belongs to the caller. */
    void close() {
        closeAll(takeFds());
        while (groupCount > 0) {
            closeAll(popGroup());
        }
    }

    private void makeRoom() {
        int cap = buf.capacity();
        int pending = end - start;
        int want = Math.max(need, pending + MIN_READ);
        if (pins == 0) {
            if (pending == 0) {
                start = end = 0;
            }
            if (cap - end >= MIN_READ && cap - start >= need) {
                return;
            }
            if (cap >= want) {
                buf.put(0, buf, start, pending);
                end = pending;
                start = 0;
                return;
            }
        } else if (cap - end >= MIN_READ && cap - start >= need) {
            return;
        }
        ByteBuffer fresh = newBuffer(Math.max(cap, Integer.highestOneBit(want - 1) << 1));
        fresh.put(0, buf, start, pending);
        buf = fresh;
        start = 0;
        end = pending;
    }

    private void pushGroup(int[] group, long startPos, long endPos) {
        if (groupCount == groups.length) {
            int n = groups.length;
            int[][] g = new int[n * 2][];
            long[] s = new long[n * 2];
            long[] e = new long[n * 2];
            for (int i = 0; i < groupCount; i++) {
                g[i] = groups[(groupHead + i) % n];
                s[i] = groupStarts[(groupHead + i) % n];
                e[i] = groupEnds[(groupHead + i) % n];
            }
            groups = g;
            groupStarts = s;
            groupEnds = e;
            groupHead = 0;
        }
        int slot = (groupHead + groupCount) % groups.length;
        groups[slot] = group;
        groupStarts[slot] = startPos;
        groupEnds[slot] = endPos;
        groupCount++;
    }

    private int[] popGroup() {
        int[] g = groups[groupHead];
        groups[groupHead] = null;
        groupHead = (groupHead + 1) % groups.length;
        groupCount--;
        return g;
    }

    static void closeAll(int[] fds) {
        if (fds != null) {
            for (int f : fds) {
                Native.closeQuietly(f);
            }
        }
    }

    private static ByteBuffer newBuffer(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }
}
