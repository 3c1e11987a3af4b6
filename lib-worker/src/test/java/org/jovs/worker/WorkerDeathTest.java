package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker dies (SIGKILL, corrupt input, corrupt output, a poisonous request): nothing is lost. */
class WorkerDeathTest {
    @TempDir
    Path dir;

    /** Writes 'n' as a decimal line into 'buf' (no allocation) and flips it for reading. */
    private static ByteBuffer line(ByteBuffer buf, int n) {
        buf.clear();
        int at = 15;
        buf.put(at, (byte) '\n');
        do {
            buf.put(--at, (byte) ('0' + n % 10));
            n /= 10;
        } while (n > 0);
        return buf.position(at).limit(16);
    }

    /** Counts each number's lines in 'file' (numbers below 'n'); also counts backward steps. */
    private static int[] countLines(Path file, int n, int[] backSteps) throws Exception {
        byte[] text = Files.readAllBytes(file);
        int[] counts = new int[n];
        int value = 0;
        int prev = -1;
        for (byte b : text) {
            if (b == '\n') {
                counts[value]++;
                if (value < prev) {
                    backSteps[0]++;
                }
                prev = value;
                value = 0;
            } else {
                value = value * 10 + (b - '0');
            }
        }
        return counts;
    }

    @Test
    void sigkillMidFloodLosesNothing() throws Exception {
        Path file = dir.resolve("numbers.txt");
        int n = 1_000_000;
        int killAt = 300_000;
        int[] seqOf = new int[n];
        int[] echoes = {0, 0, 0};
        ByteBuffer buf = ByteBuffer.allocate(16);
        ByteBuffer small = ByteBuffer.allocate(8);
        try (Harness h = new Harness(dir, new WorkerOptions().property(TestHandlers.APPEND_FILE, file.toString()))
                .start()) {
            h.client.register(TestHandlers.ECHO, DeathPolicy.FAIL);
            long[] lastReply = {0};
            ReplyCallback echoCb = r -> {
                assertTrue(r.sequence() > lastReply[0], "reply callbacks out of order");
                lastReply[0] = r.sequence();
                if (r.ok()) {
                    assertEquals(r.sequence(), r.payload().getLong(0));
                    echoes[1]++;
                } else {
                    assertTrue(r.error().startsWith("worker failed: "), r.error());
                    echoes[2]++;
                }
            };
            int seq = 0;
            long killed = -1;
            int killedAt = -1;
            for (int i = 0; i < n; i++) {
                if (i % 1000 == 999) {
                    seq++;
                    small.putLong(0, seq);
                    h.client.request(TestHandlers.ECHO, small.clear(), echoCb);
                    echoes[0]++;
                }
                h.client.request(TestHandlers.APPEND_LINE, line(buf, i));
                seqOf[i] = ++seq;
                if (i == killAt) {
                    /* Also wait for the worker to get going, so the kill hits a busy worker. */
                    h.pump(() -> h.client.acknowledged() >= 100_000, 60_000, "the worker to get going");
                }
                /* Kill it mid-flood: well after it started working through the backlog. */
                if (killed < 0 && i >= killAt && h.client.acknowledged() >= 100_000) {
                    killed = h.client.pid();
                    killedAt = i;
                    assertEquals(0, Native.libc().kill((int) killed, Native.SIGKILL));
                }
                if (i % 1024 == 0) {
                    h.client.run();
                }
            }
            h.settle(120_000);
            assertTrue(killed > 0);
            assertEquals(1, h.client.restarts(), h.client.show());
            assertTrue(h.client.pid() != killed);
            assertEquals(echoes[0], echoes[1] + echoes[2], "every reply-expecting request got one callback");
            assertTrue(echoes[2] > 0, "no reply-expecting request was caught by the death");

            long[] window = h.client.lastDeathWindow();
            int[] backSteps = {0};
            int[] counts = countLines(file, n, backSteps);
            int duplicates = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(counts[i] >= 1, "number " + i + " lost");
                assertTrue(counts[i] <= 2, "number " + i + " written " + counts[i] + " times");
                if (counts[i] == 2) {
                    duplicates++;
                    assertTrue(seqOf[i] >= window[0] && seqOf[i] <= window[1],
                            "number " + i + " (request " + seqOf[i] + ") ran twice but was not in flight at the kill "
                            + window[0] + ".." + window[1]);
                }
            }
            assertTrue(backSteps[0] <= 1, "the file goes backwards " + backSteps[0] + " times");
            System.out.printf("SIGKILL at request %d: %d numbers ran twice (in flight: requests %d..%d); "
                    + "%d echo replies, %d failed%n", seqOf[killedAt], duplicates, window[0], window[1], echoes[1],
                    echoes[2]);
            System.out.print(h.client.show());
        }
    }

    @Test
    void inlinePolicyRunsUnacknowledgedWorkInTheMainProcess() throws Exception {
        Path file = dir.resolve("lines.txt");
        int n = 50_000;
        ByteBuffer buf = ByteBuffer.allocate(16);
        try (Harness h = new Harness(dir, new WorkerOptions().property(TestHandlers.APPEND_FILE, file.toString()))
                .start()) {
            h.client.register(TestHandlers.APPEND_LINE, new TestHandlers.AppendLine(file.toString()));
            boolean sawDown = false;
            for (int i = 0; i < n; i++) {
                h.client.request(TestHandlers.APPEND_LINE, line(buf, i));
                if (i == 10_000) {
                    h.pump(() -> h.client.acknowledged() >= 5_000, 60_000, "the worker to get going");
                    assertEquals(0, Native.libc().kill((int) h.client.pid(), Native.SIGKILL));
                }
                if (i % 512 == 0) {
                    h.client.run();
                    sawDown |= !h.client.isRunning();
                }
            }
            h.settle(60_000);
            assertTrue(sawDown, "the death went unnoticed during the flood");
            // The inline work can empty the queue before the new worker is up: wait for the restart.
            h.pump(() -> h.client.restarts() >= 1, 60_000, "the worker to be restarted");
            assertEquals(1, h.client.restarts());
            String show = h.client.show();
            assertFalse(show.contains(" 0 run inline"), show);
            int[] counts = countLines(file, n, new int[1]);
            for (int i = 0; i < n; i++) {
                assertTrue(counts[i] >= 1, "line " + i + " lost");
            }
            System.out.print(show);
        }
    }

    private static byte[] header(int type, int nFds, int length, int handler) {
        ByteBuffer b = ByteBuffer.allocate(Frame.HEADER).order(ByteOrder.nativeOrder());
        Frame.putHeader(b, 0, type, nFds, length, handler, 0, 1);
        return b.array();
    }

    @Test
    void corruptInputEndsTheWorkerCleanlyAndItRestarts() throws Exception {
        byte[] junk = new byte[Frame.HEADER];
        java.util.Arrays.fill(junk, (byte) 0x41);
        List<byte[]> inputs = List.of(junk, header(Frame.REQUEST, 0, 0x7fffffff, TestHandlers.ECHO),
                header(Frame.REQUEST, 0, 0, 4242), header(Frame.START, 0, 0, 0));
        List<String> messages = List.of("corrupt channel from main process (bad magic 0x4141 at start of message)",
                "corrupt channel from main process (message length 2147483647 exceeds maximum 1048576)",
                "corrupt channel from main process (request for unknown handler id 4242)",
                "corrupt channel from main process (unexpected start message)");
        try (Harness h = new Harness(dir, new WorkerOptions().restartBackoff(10, 100)).start()) {
            for (int i = 0; i < inputs.size(); i++) {
                long pid = h.client.pid();
                long restarts = h.client.restarts();
                h.client.injectRawForTest(inputs.get(i));
                h.pump(() -> h.client.restarts() > restarts && h.client.isRunning(), 30_000, "a restart");
                h.pump(() -> ("pid " + pid + " exited with status 1").equals(h.client.lastExit()), 30_000,
                        "exit status 1 of pid " + pid);
                String log = h.workerLog();
                assertTrue(log.contains("|ERROR|EMER|" + messages.get(i)), log);
                int[] ok = {0};
                h.client.request(TestHandlers.ECHO, ByteBuffer.allocate(3), r -> ok[0] += r.ok() ? 1 : 0);
                h.pump(() -> ok[0] == 1, 30_000, "an echo from the new worker");
            }
            String log = h.workerLog();
            assertFalse(log.contains("OutOfMemoryError"), log);
            assertTrue(h.client.show().contains("last failure: receive from worker failed (End of file)"),
                    h.client.show());
        }
    }

    @Test
    void corruptOutputFromTheWorkerIsAWorkerDeath() throws Exception {
        try (Harness h = new Harness(dir, new WorkerOptions().restartBackoff(10, 100)).start()) {
            long pid = h.client.pid();
            h.client.request(TestHandlers.ROGUE, null);
            h.pump(() -> h.client.restarts() == 1 && h.client.isRunning(), 30_000, "a restart");
            String show = h.client.show();
            assertTrue(show.contains("last failure: protocol error from worker (bad magic 0x5a5a at start of message)"),
                    show);
            h.pump(() -> ("pid " + pid + " killed by signal 9").equals(h.client.lastExit()), 30_000,
                    "the rogue worker to be killed");
            int[] ok = {0};
            h.client.request(TestHandlers.ECHO, null, r -> ok[0] += r.ok() ? 1 : 0);
            h.pump(() -> ok[0] == 1, 30_000, "an echo from the new worker");
        }
    }

    @Test
    void poisonousRequestIsFailedAfterThreeDeaths() throws Exception {
        List<String> outcomes = new ArrayList<>();
        try (Harness h = new Harness(dir, new WorkerOptions().restartBackoff(10, 1000)).start()) {
            h.client.request(TestHandlers.CRASH, null, r -> outcomes.add("crash " + (r.ok() ? "ok" : r.error())));
            h.client.request(TestHandlers.ECHO, null, r -> outcomes.add("echo " + (r.ok() ? "ok" : r.error())));
            h.settle(60_000);
            assertEquals(2, outcomes.size(), outcomes.toString());
            assertTrue(outcomes.get(0).startsWith("crash worker failed: "), outcomes.toString());
            assertEquals("echo ok", outcomes.get(1));
            assertEquals(3, h.client.restarts(), h.client.show());
            assertTrue(h.client.isRunning());
        }
    }

    @Test
    void workerThatDiesAtStartIsRestartedWithBackOffAndBlamesNoRequest() throws Exception {
        List<String> outcomes = new ArrayList<>();
        /* An option the JVM refuses: every worker dies before it is ready. */
        try (Harness h = new Harness(dir, new WorkerOptions().restartBackoff(50, 400)
                .jvmOption("-XX:+NoSuchOptionForThisTest")).start()) {
            h.client.request(TestHandlers.ECHO, null, r -> outcomes.add(r.toString()));
            long start = org.jovs.core.TimeVal.msec();
            h.pump(() -> org.jovs.core.TimeVal.msec() - start > 3000, 10_000, "time to pass");
            long restarts = h.client.restarts();
            /* 50, 100, 200, 400, 400... ms apart: without back-off there would be dozens. */
            assertTrue(restarts >= 2 && restarts <= 9, "restarts: " + restarts);
            assertTrue(outcomes.isEmpty(), "a request was blamed for a start-up failure: " + outcomes);
            assertTrue(h.workerLog().contains("NoSuchOptionForThisTest"), h.workerLog());
            assertEquals(1, h.client.queuedRequests());
        }
    }

    @Test
    void brokenReplyRuleEndsTheWorker() throws Exception {
        List<String> expected = List.of("handler 1009 did not reply to request 1",
                "handler 1009 failed on request 2\njava.lang.IllegalStateException: handler 1009 replied twice to request 2",
                "handler 1009 failed on request 3\njava.lang.IllegalStateException: handler 1009 replied to request 3, "
                        + "which expects no reply");
        try (Harness h = new Harness(dir, new WorkerOptions().restartBackoff(10, 100)).start()) {
            for (int mode = 0; mode < 3; mode++) {
                List<WorkerReply> got = new ArrayList<>();
                long restarts = h.client.restarts();
                ByteBuffer p = ByteBuffer.wrap(new byte[] {(byte) mode});
                h.client.request(TestHandlers.BAD_REPLY, p, mode == 2 ? null : got::add);
                h.pump(() -> h.client.restarts() > restarts && h.client.isRunning(), 30_000, "a restart");
                h.settle(30_000);
                if (mode == 0) {
                    /* No reply came: FAIL policy, so the callback gets the failure. */
                    assertEquals(1, got.size());
                    assertFalse(got.get(0).ok());
                    assertTrue(h.client.show().contains(" 1 failed"), h.client.show());
                } else if (mode == 1) {
                    /* The first reply arrived before the worker broke the rule; it stands. */
                    assertEquals(1, got.size());
                    assertTrue(got.get(0).ok());
                } else {
                    assertTrue(h.client.show().contains(" 2 failed"), h.client.show());
                }
                String log = h.workerLog();
                assertTrue(log.contains("|ERROR|EMER|" + expected.get(mode)), log);
            }
        }
    }
}
