package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon's worker process: killed with SIGKILL, under both --worker-failure policies. */
class WorkerDaemonTest {
    private DaemonHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** The pid of the daemon's worker, from worker/show. */
    private long workerPid() throws Exception {
        return workerPid(h);
    }

    /** The pid of the worker of the daemon that 'h' runs, from worker/show. */
    static long workerPid(DaemonHarness h) throws Exception {
        Result r = h.appctl("worker/show");
        assertEquals(0, r.status, r.toString());
        String first = r.stdout.lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("worker process: pid "), r.stdout);
        return Long.parseLong(first.split(" ")[3].replace(",", ""));
    }

    @Test
    void killedWorkerIsRestartedAndThePidfileSurvives() throws Exception {
        assertEquals(0, h.startDetached().status);
        long daemon = h.pidFromFile();
        long worker = workerPid();
        assertTrue(DaemonHarness.alive(worker));
        String argv = new String(Files.readAllBytes(Path.of("/proc", Long.toString(worker), "cmdline")))
                .replace('\0', ' ');
        assertTrue(argv.contains("worker process for pid " + daemon), argv);

        DaemonHarness.kill(worker, "KILL");
        assertTrue(DaemonHarness.waitForExit(worker, 5_000));
        long restarted = -1;
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            restarted = workerPid();
            if (restarted != worker && h.appctl("worker/show").stdout.contains(", running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotEquals(worker, restarted, "worker was not restarted");
        assertTrue(h.appctl("worker/show").stdout.contains("restarts: 1"));
        assertEquals(daemon, h.pidFromFile(), "the pidfile must survive the worker's death");
        assertEquals(0, h.appctl("version").status);

        // A clean exit takes the worker with it, and leaves the pidfile removed only by the daemon.
        assertEquals(0, h.appctl("exit").status);
        assertTrue(DaemonHarness.waitForExit(daemon, 10_000));
        assertTrue(DaemonHarness.waitForExit(restarted, 10_000), "worker outlived the daemon");
        assertTrue(!Files.exists(h.pidfile()));
    }

    @Test
    void abortPolicyLogsEmerAndAborts() throws Exception {
        assertEquals(0, h.startDetached("--worker-failure=abort").status);
        long daemon = h.pidFromFile();
        long worker = workerPid();
        DaemonHarness.kill(worker, "KILL");
        assertTrue(DaemonHarness.waitForExit(daemon, 10_000), "daemon did not abort");
        String log = Files.readString(h.dir().resolve("ovs-vswitchd.log"));
        assertTrue(log.lines().anyMatch(l -> l.matches(".*\\|worker\\|EMER\\|.*")), log);
        // abort() leaves the pidfile behind, stale: nothing holds its lock any more.
        assertTrue(Files.exists(h.pidfile()));
    }

    @Test
    void abortPolicyUnderMonitorRestartsTheDaemon() throws Exception {
        assertEquals(0, h.startDetached("--worker-failure=abort", "--monitor").status);
        long daemon = h.pidFromFile();
        DaemonHarness.kill(workerPid(), "KILL");
        assertTrue(DaemonHarness.waitForExit(daemon, 10_000), "daemon did not abort");
        long deadline = System.currentTimeMillis() + 30_000;
        long next = -1;
        while (System.currentTimeMillis() < deadline) {
            next = h.pidFromFileUnchecked();
            if (next > 0 && next != daemon && h.appctl("version").status == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotEquals(daemon, next, "monitor did not restart the daemon");
        assertEquals(0, h.appctl("version").status);
    }
}
