package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.Test;

/**
 * The request ring as plain bookkeeping. The socket is replaced by an in-memory sink that takes a
 * limited number of bytes per call (a fake is right here: the point is the queue's own arithmetic;
 * the real socket is covered by the FrameReader and WorkerClient tests).
 */
class RequestQueueTest {
    /** Accepts up to 'perCall' bytes per send and remembers where fds were attached. */
    private static final class Sink implements RequestQueue.Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Long> fdOffsets = new ArrayList<>();
        int perCall;
        boolean full;

        @Override
        public long send(ByteBuffer buf, int off1, int len1, int off2, int len2, int[] fds, int nFds) {
            if (full) {
                return -Native.EAGAIN;
            }
            int n = Math.min(perCall, len1 + len2);
            if (nFds > 0) {
                fdOffsets.add((long) bytes.size());
            }
            for (int i = 0; i < n; i++) {
                bytes.write(i < len1 ? buf.get(off1 + i) : buf.get(off2 + i - len1));
            }
            return n;
        }
    }

    private static ByteBuffer payload(long seq, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        for (int i = 0; i < len; i++) {
            b.put(i, TestHandlers.pattern(seq, i));
        }
        return b;
    }

    /** Parses 'stream' and checks it holds requests first..last with fds exactly where declared. */
    private static void checkStream(byte[] stream, long first, long last, List<Long> fdOffsets, int[] lens,
            boolean[] withFds) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.nativeOrder());
        int at = 0;
        int fdIndex = 0;
        for (long seq = first; seq <= last; seq++) {
            assertEquals(Frame.MAGIC, b.getShort(at));
            assertEquals(seq, b.getLong(at + Frame.OFF_COOKIE));
            int len = b.getInt(at + Frame.OFF_LENGTH);
            assertEquals(lens[(int) seq], len);
            int nFds = b.get(at + Frame.OFF_NFDS);
            assertEquals(withFds[(int) seq] ? 1 : 0, nFds);
            if (nFds > 0) {
                assertEquals((long) at, fdOffsets.get(fdIndex++), "fds of request " + seq);
            }
            for (int i = 0; i < len; i++) {
                assertEquals(TestHandlers.pattern(seq, i), b.get(at + Frame.HEADER + i));
            }
            at += Frame.HEADER + len;
        }
        assertEquals(stream.length, at);
        assertEquals(fdOffsets.size(), fdIndex);
    }

    @Test
    void sendsEverythingInOrderAcrossWrapsGrowthAndPartialWrites() {
        RequestQueue q = new RequestQueue(WorkerOptions.MIN_MAX_QUEUED_BYTES);
        Sink sink = new Sink();
        Random rnd = new Random(1);
        int n = 3000;
        int[] lens = new int[n + 1];
        boolean[] withFds = new boolean[n + 1];
        long acked = 0;
        for (int seq = 1; seq <= n; seq++) {
            lens[seq] = rnd.nextInt(10) == 0 ? rnd.nextInt(60_000) : rnd.nextInt(300);
            withFds[seq] = rnd.nextInt(7) == 0;
            /* Acknowledge sent requests until the new one fits, like the worker would. */
            while (!q.fits(Frame.HEADER + lens[seq])) {
                sink.perCall = 1 + rnd.nextInt(50_000);
                long rc = q.flush(sink);
                assertTrue(rc == 0 || rc == -Native.EAGAIN);
                while (!q.isEmpty() && q.fullySent(0)) {
                    q.pop();
                    acked++;
                }
            }
            /* The fd -1 is never a real descriptor: the sink only notes where fds go, and
             * closing -1 on pop() is a no-op. */
            RequestQueue.Entry e = withFds[seq] ? new RequestQueue.Entry(null, new int[] {-1}) : null;
            assertEquals(seq, q.append(TestHandlers.ECHO, 0, payload(seq, lens[seq]), e));
            assertTrue(q.queuedBytes() <= WorkerOptions.MIN_MAX_QUEUED_BYTES);
        }
        sink.perCall = Integer.MAX_VALUE;
        assertEquals(0, q.flush(sink));
        assertEquals(0, q.unsent());
        assertTrue(acked > 0, "the bound never forced acknowledgements");
        checkStream(sink.bytes.toByteArray(), 1, n, sink.fdOffsets, lens, withFds);
    }

    @Test
    void fullSocketReportsEagainAndKeepsBytes() {
        RequestQueue q = new RequestQueue(WorkerOptions.MIN_MAX_QUEUED_BYTES);
        Sink sink = new Sink();
        q.append(TestHandlers.ECHO, 0, payload(1, 10), null);
        sink.full = true;
        assertEquals(-Native.EAGAIN, q.flush(sink));
        assertEquals(Frame.HEADER + 10, q.unsent());
        sink.full = false;
        sink.perCall = 5;
        assertEquals(-Native.EAGAIN, q.flush(sink));
        assertEquals(Frame.HEADER + 5, q.unsent());
        sink.perCall = 100;
        assertEquals(0, q.flush(sink));
        assertEquals(0, q.unsent());
        assertTrue(q.fullySent(0));
    }

    @Test
    void rebuildKeepsChosenRequestsInOrderForTheNextWorker() {
        RequestQueue q = new RequestQueue(WorkerOptions.MIN_MAX_QUEUED_BYTES);
        Sink sink = new Sink();
        sink.perCall = Integer.MAX_VALUE;
        int[] lens = new int[11];
        boolean[] withFds = new boolean[11];
        for (int seq = 1; seq <= 10; seq++) {
            lens[seq] = seq * 100;
            q.append(TestHandlers.ECHO, 0, payload(seq, lens[seq]), null);
        }
        assertEquals(0, q.flush(sink));
        q.pop();
        q.pop();
        /* Seqs 3..10 remain; keep the odd ones (indexes 0, 2, 4, 6 are seqs 3, 5, 7, 9). */
        boolean[] keep = new boolean[q.size()];
        for (int i = 0; i < keep.length; i += 2) {
            keep[i] = true;
        }
        q.rebuild(keep);
        assertEquals(8, q.size());
        assertEquals(3, q.firstSeq());
        for (int i = 0; i < 8; i++) {
            assertEquals(keep[i], q.inRing(i));
            assertFalse(q.partlySent(i));
        }
        assertEquals(4 * Frame.HEADER + 300 + 500 + 700 + 900, q.queuedBytes());
        Sink again = new Sink();
        again.perCall = Integer.MAX_VALUE;
        assertEquals(0, q.flush(again));
        byte[] stream = again.bytes.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.nativeOrder());
        int at = 0;
        for (long seq = 3; seq <= 9; seq += 2) {
            assertEquals(seq, b.getLong(at + Frame.OFF_COOKIE));
            at += Frame.HEADER + lens[(int) seq];
        }
        assertEquals(stream.length, at);
        /* Popping a resolved record frees nothing; popping a kept one frees its bytes. */
        q.pop();
        assertEquals(3 * Frame.HEADER + 500 + 700 + 900, q.queuedBytes());
        q.pop();
        assertEquals(3 * Frame.HEADER + 500 + 700 + 900, q.queuedBytes());
    }

    @Test
    void boundCountsQueuedBytes() {
        RequestQueue q = new RequestQueue(WorkerOptions.MIN_MAX_QUEUED_BYTES);
        ByteBuffer max = ByteBuffer.allocate(WorkerClient.MAX_PAYLOAD);
        assertTrue(q.fits(Frame.HEADER + WorkerClient.MAX_PAYLOAD));
        q.append(TestHandlers.ECHO, 0, max, null);
        assertFalse(q.fits(1));
        assertTrue(q.fits(0));
        assertEquals(1, q.size());
        assertEquals(1, q.appendResolved(TestHandlers.ECHO, null) - 1);
        assertEquals(2, q.size());
    }
}
