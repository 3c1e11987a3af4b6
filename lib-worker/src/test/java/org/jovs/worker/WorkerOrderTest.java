package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering, fd passing and the no-deadlock rule, against a real worker JVM. A handler that sees a
 * request out of order or corrupt throws, which kills the worker; every test therefore also checks
 * that no restart happened.
 */
class WorkerOrderTest {
    @TempDir
    Path dir;

    /** Payload size for the FIFO test: skewed small, occasionally up to 64 KiB. */
    private static int payloadSize(Random rnd) {
        int r = rnd.nextInt(100);
        return rnd.nextInt(r < 90 ? 257 : r < 99 ? 4097 : 65537);
    }

    @Test
    void fifoOfMixedRequestsAndReplies() throws Exception {
        int n = 100_000;
        Random rnd = new Random(42);
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long[] nextReply = {0};
        int[] replies = {0};
        boolean[] wantsReply = new boolean[n + 1];
        ReplyCallback check = r -> {
            assertTrue(r.ok(), r.toString());
            long seq = r.sequence();
            assertTrue(seq > nextReply[0], "reply " + seq + " after " + nextReply[0]);
            for (long s = nextReply[0] + 1; s < seq; s++) {
                assertTrue(!wantsReply[(int) s], "reply to " + s + " skipped");
            }
            nextReply[0] = seq;
            ByteBuffer p = r.payload();
            assertEquals(TestHandlers.replySize(seq), p.remaining());
            assertEquals(seq, p.getLong(p.position()), "worker's count of requests seen");
            for (int i = 8; i < p.remaining(); i++) {
                if (p.get(p.position() + i) != TestHandlers.pattern(seq, i)) {
                    throw new AssertionError("reply " + seq + " corrupt at " + i);
                }
            }
            replies[0]++;
        };
        int expectReplies = 0;
        long totalBytes = 0;
        try (Harness h = new Harness(dir, new WorkerOptions()).start()) {
            for (int seq = 1; seq <= n; seq++) {
                int size = payloadSize(rnd);
                totalBytes += size;
                buf.clear().limit(size);
                for (int i = 0; i < size; i++) {
                    buf.put(i, TestHandlers.pattern(seq, i));
                }
                wantsReply[seq] = rnd.nextInt(10) < 3;
                if (wantsReply[seq]) {
                    expectReplies++;
                }
                h.client.request(TestHandlers.SEQUENCED, buf, wantsReply[seq] ? check : null);
                if (seq % 64 == 0) {
                    h.client.run();
                }
            }
            h.settle(60_000);
            assertEquals(expectReplies, replies[0]);
            assertEquals(0, h.client.restarts(), h.client.show() + h.workerLog());
            assertTrue(h.client.show().contains("requests: " + n + " sent, " + expectReplies + " replied, " + n
                    + " acknowledged"), h.client.show());
        }
        System.out.printf("FIFO: %d requests, %d replies, %.1f MB of payload%n", n, expectReplies, totalBytes / 1e6);
    }

    private static long countFds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    /** How many of process 'pid''s fds refer to the same object as 'link' (e.g. "pipe:[123]"). */
    private static long countLinks(long pid, String link) throws IOException {
        long n = 0;
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(p).toString().equals(link)) {
                        n++;
                    }
                } catch (IOException gone) {
                    /* An fd closed while we listed. */
                }
            }
        }
        return n;
    }

    @Test
    void fdPassingLeaksNothing() throws Exception {
        int[] pipe = new int[2];
        assertEquals(0, Native.libc().pipe2(pipe, Native.O_CLOEXEC));
        Native.setNonBlocking(pipe[0]);
        long self = ProcessHandle.current().pid();
        String pipeLink = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pipe[1])).toString();
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        ByteBuffer payload = ByteBuffer.allocate(8);
        long[] expect = {0};
        int[] fdReplies = {0};
        ReplyCallback fdBack = r -> {
            assertTrue(r.ok());
            assertEquals(1, r.fds().length);
            try {
                assertEquals(pipeLink, Files.readSymbolicLink(Path.of("/proc/self/fd/" + r.fds()[0])).toString());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            Native.closeQuietly(r.fds()[0]);
            fdReplies[0]++;
        };
        Runnable drainPipe = () -> {
            for (;;) {
                long got = Native.libc().read(pipe[0], in.clear(), in.capacity());
                if (got <= 0) {
                    return;
                }
                for (int i = 0; i < got; i += 8) {
                    assertEquals(expect[0]++, in.getLong(i), "pipe data out of order");
                }
            }
        };
        try (Harness h = new Harness(dir, new WorkerOptions()).start()) {
            long workerPid = h.client.pid();
            long seq = 0;
            long mainBefore = 0;
            long workerBefore = 0;
            for (int round = 0; round < 101; round++) {
                for (int i = 0; i < 100; i++) {
                    payload.putLong(0, seq++);
                    /* Interleave fd-less requests so that reads mix messages with and without fds. */
                    if (i % 3 == 0) {
                        h.client.request(TestHandlers.NOOP, ByteBuffer.allocate(i * 37));
                    }
                    h.client.request(TestHandlers.PIPE_WRITE, payload, new int[] {pipe[1]}, i % 10 == 0 ? fdBack : null);
                }
                long target = seq * 8;
                h.pump(() -> {
                    drainPipe.run();
                    return expect[0] * 8 == target && h.client.queuedRequests() == 0;
                }, 30_000, "pipe data");
                if (round == 0) {
                    /* Warmed up: take the baseline now. */
                    mainBefore = countFds(self);
                    workerBefore = countFds(workerPid);
                }
            }
            assertEquals(10_100, seq);
            assertEquals(1010, fdReplies[0]);
            assertEquals(0, h.client.restarts(), h.workerLog());
            assertEquals(2, countLinks(self, pipeLink), "main process holds only its own pipe ends");
            assertEquals(0, countLinks(workerPid, pipeLink), "worker closed every fd it received");
            long mainAfter = countFds(self);
            long workerAfter = countFds(workerPid);
            System.out.printf("fds: main %d -> %d, worker %d -> %d%n", mainBefore, mainAfter, workerBefore,
                    workerAfter);
            assertEquals(workerBefore, workerAfter);
            assertTrue(Math.abs(mainAfter - mainBefore) <= 2, mainBefore + " -> " + mainAfter);
        } finally {
            Native.closeQuietly(pipe[0]);
            Native.closeQuietly(pipe[1]);
        }
    }

    @Test
    void bigRepliesWhileFloodingDoNotDeadlock() throws Exception {
        int n = 1000;
        long[] last = {0};
        int[] insideRequest = {0};
        ByteBuffer payload = ByteBuffer.allocate(16 * 1024);
        try (Harness h = new Harness(dir, new WorkerOptions().maxQueuedBytes(WorkerOptions.MIN_MAX_QUEUED_BYTES))
                .start()) {
            ReplyCallback cb = r -> {
                assertTrue(r.ok());
                assertEquals(TestHandlers.BIG_REPLY_SIZE, r.payload().remaining());
                assertEquals(r.sequence(), r.payload().getLong(0));
                assertEquals(last[0] + 1, r.sequence());
                last[0] = r.sequence();
                if (h.client.inRequest()) {
                    insideRequest[0]++;
                }
            };
            for (int i = 0; i < n; i++) {
                h.client.request(TestHandlers.BIG_REPLY, payload.clear(), cb);
            }
            h.settle(60_000);
            assertEquals(n, last[0]);
            assertTrue(h.client.blockedRequests() > 0, "request() never had to wait: the test proves nothing");
            assertTrue(insideRequest[0] > 0, "no reply was drained by a blocked request()");
            assertEquals(0, h.client.restarts(), h.workerLog());
            System.out.printf("deadlock test: %d of %d requests blocked, %d callbacks ran inside request()%n",
                    h.client.blockedRequests(), n, insideRequest[0]);
        }
    }

    @Test
    void nestedRequestFromACallbackIsRefused() throws Exception {
        int[] refused = {0};
        int[] allowed = {0};
        boolean[] sawInRequest = {false};
        ByteBuffer payload = ByteBuffer.allocate(16 * 1024);
        try (Harness h = new Harness(dir, new WorkerOptions().maxQueuedBytes(WorkerOptions.MIN_MAX_QUEUED_BYTES))
                .start()) {
            ReplyCallback follow = r -> allowed[0]++;
            ReplyCallback cb = r -> {
                if (h.client.inRequest()) {
                    sawInRequest[0] = true;
                    try {
                        h.client.request(TestHandlers.ECHO, null, follow);
                    } catch (IllegalStateException e) {
                        assertEquals("WorkerClient.request() re-entered", e.getMessage());
                        refused[0]++;
                    }
                } else {
                    /* From run(), a callback may submit requests. */
                    h.client.request(TestHandlers.ECHO, null, follow);
                }
            };
            for (int i = 0; i < 200; i++) {
                h.client.request(TestHandlers.BIG_REPLY, payload.clear(), cb);
            }
            h.settle(30_000);
            assertTrue(sawInRequest[0], "no callback ran inside request()");
            assertTrue(refused[0] > 0);
            assertEquals(200 - refused[0], allowed[0]);
            assertEquals(0, h.client.restarts());
        }
    }
}
