package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, a round trip, show(), argument checks and a clean close, with a real worker JVM. */
class WorkerBasicsTest {
    @TempDir
    Path dir;

    @Test
    void startsEchoesAndExitsCleanly() throws Exception {
        List<WorkerReply> replies = new ArrayList<>();
        long workerPid;
        try (Harness h = new Harness(dir, new WorkerOptions()).start()) {
            assertTrue(h.client.isRunning());
            workerPid = h.client.pid();
            String cmdline = Files.readString(Path.of("/proc/" + workerPid + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains("worker process for pid " + ProcessHandle.current().pid()), cmdline);
            assertTrue(cmdline.contains("-XX:TieredStopAtLevel=1"), cmdline);

            h.client.request(TestHandlers.ECHO, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)),
                    r -> {
                        byte[] b = new byte[r.payload().remaining()];
                        r.payload().get(b);
                        replies.add(r);
                        assertEquals("hello", new String(b, StandardCharsets.UTF_8));
                    });
            h.settle(30_000);
            assertEquals(1, replies.size());
            assertTrue(replies.get(0).ok());
            assertEquals(1, replies.get(0).sequence());

            String show = h.client.show();
            assertTrue(show.contains("pid " + workerPid + ", running"), show);
            assertTrue(show.contains("requests: 1 sent, 1 replied, 1 acknowledged"), show);
            assertTrue(show.contains("restarts: 0"), show);
        }
        ProcessHandle.of(workerPid).ifPresent(p -> p.onExit().join());
        String log = Files.readString(dir.resolve("worker.log"));
        assertTrue(log.contains("|worker|worker|INFO||worker process started"), log);
        assertTrue(log.contains("|worker|worker|DEBUG||worker process exiting"), log);
    }

    @Test
    void rejectsBadRequests() throws Exception {
        try (Harness h = new Harness(dir, new WorkerOptions())) {
            assertThrows(IllegalStateException.class, () -> h.client.request(TestHandlers.ECHO, null));
            h.start();
            assertThrows(IllegalStateException.class, h.client::start);
            assertThrows(IllegalArgumentException.class, () -> h.client.request(4242, null));
            assertThrows(IllegalArgumentException.class,
                    () -> h.client.request(TestHandlers.ECHO, ByteBuffer.allocate(WorkerClient.MAX_PAYLOAD + 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> h.client.request(TestHandlers.PIPE_WRITE, null, new int[9], null));
            assertThrows(IllegalArgumentException.class,
                    () -> h.client.request(TestHandlers.PIPE_WRITE, null, new int[] {987654}, null));
            assertEquals(0, h.client.queuedRequests());
        }
        assertThrows(IllegalArgumentException.class, () -> new WorkerOptions().maxQueuedBytes(1000));
        assertEquals(WorkerOptions.FailureMode.ABORT, WorkerOptions.FailureMode.parse("abort"));
        assertEquals(WorkerOptions.FailureMode.RESTART, WorkerOptions.FailureMode.parse("restart"));
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.FailureMode.parse("panic"));
    }

    @Test
    void closeWithoutRequestsLetsTheWorkerExitZero() throws Exception {
        Harness h = new Harness(dir, new WorkerOptions()).start();
        long workerPid = h.client.pid();
        ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
        h.close();
        assertFalse(h.client.isRunning());
        worker.onExit().get();
        h.pump(() -> h.client.lastExit() != null, 5_000, "the exit status");
        assertEquals("pid " + workerPid + " exited with status 0", h.client.lastExit());
    }

    @Test
    void waitForHandsQueuedRequestsToTheSocketBeforeTheLoopSleeps() throws Exception {
        try (Harness h = new Harness(dir, new WorkerOptions()).start()) {
            h.client.request(TestHandlers.NOOP, ByteBuffer.allocate(10));
            assertTrue(h.client.show().contains("(34 unsent"), h.client.show());
            h.client.waitFor(h.loop);
            assertTrue(h.client.show().contains("(0 unsent"), h.client.show());
            h.settle(30_000);
        }
    }
}
