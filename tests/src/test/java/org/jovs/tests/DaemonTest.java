package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's life cycle, driven by the real /usr/bin/ovs-appctl: --detach readiness, the
 * built-in commands, exit and SIGTERM clean-up, the pidfile lock, and --monitor restarts.
 */
class DaemonTest {
    private DaemonHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void detachReturnsOnceTheDaemonAnswers() throws Exception {
        Result start = h.startDetached();
        assertEquals(0, start.status, start.toString());
        // No retry loop: --detach must not return before the daemon serves.
        Result v = h.appctl("version");
        assertEquals(0, v.status, v.toString());
        assertTrue(v.stdout.startsWith("ovs-vswitchd (Open vSwitch) 3.1.0"), v.stdout);

        Result list = h.appctl("list-commands");
        assertEquals(0, list.status, list.toString());
        assertTrue(list.stdout.startsWith("The available commands are:\n"), list.stdout);
        for (String cmd : new String[] {"coverage/show", "exit", "list-commands", "memory/show", "version"}) {
            assertTrue(list.stdout.contains("  " + cmd + " ") || list.stdout.contains("  " + cmd + "\n"),
                    cmd + " missing from " + list.stdout);
        }
        Result cov = h.appctl("coverage/show");
        assertEquals(0, cov.status, cov.toString());
        assertTrue(cov.stdout.startsWith("Event coverage, avg rate over last: 5 seconds, last minute, last hour,"),
                cov.stdout);
        assertTrue(cov.stdout.contains("unixctl_received"), cov.stdout);
        Result mem = h.appctl("memory/show");
        assertEquals(0, mem.status, mem.toString());

        long pid = h.pidFromFile();
        assertTrue(DaemonHarness.alive(pid));
        assertEquals(h.dir().resolve("ovs-vswitchd." + pid + ".ctl"), h.ctlSocket());
    }

    @Test
    void detachPassesOnWhatTheJvmPrintsBeforeTheDaemonIsReady() throws Exception {
        // -XX:+PrintFlagsFinal makes both JVMs print on stdout at start, as a flight recording's
        // banner does. The child's output must reach ours and not be taken for its readiness
        // (which once made --detach wait forever).
        Result start = h.runInNetns(60, "env", "JOVS_JAVA_OPTS=-XX:+PrintFlagsFinal",
                DaemonHarness.LAUNCHER.toString(), "--pidfile", "--detach", "--log-file");
        assertEquals(0, start.status, start.toString());
        assertTrue(start.stdout.split("\\[Global flags\\]", -1).length == 3,
                "both the parent's and the daemon's flags are printed: " + start.stdout.length() + " bytes");
        Result v = h.appctl("version");
        assertEquals(0, v.status, v.toString());
    }

    @Test
    void unknownCommandIsAnError() throws Exception {
        assertEquals(0, h.startDetached().status);
        Result r = h.appctl("no-such-cmd");
        assertEquals(2, r.status, r.toString());
        assertTrue(r.stderr.startsWith("\"no-such-cmd\" is not a valid command"), r.stderr);
        assertTrue(r.stderr.contains("ovs-appctl: ovs-vswitchd: server returned an error"), r.stderr);
        assertEquals("", r.stdout);
    }

    @Test
    void timeStopAndWarpDriveTheDaemonsClock() throws Exception {
        assertEquals(0, h.startDetached("--enable-dummy").status);
        Result stop = h.appctl("time/stop");
        assertEquals(0, stop.status, stop.toString());
        assertEquals("", stop.stdout);
        Result warp = h.appctl("time/warp", "6000", "1000");
        assertEquals(0, warp.status, warp.toString());
        assertEquals("warped\n", warp.stdout);
        Result show = h.appctl("time/show");
        assertTrue(show.stdout.endsWith("clock: stopped\nwarped by: 6000 ms\nwarp in progress: none\n"),
                show.toString());
        Result bad = h.appctl("time/warp", "0");
        assertEquals(2, bad.status, bad.toString());
        assertTrue(bad.stderr.startsWith("invalid MSECS\n"), bad.stderr);
        // A warp is not time the loop spent: no long-interval warning for it, as in OVS.
        long pid = h.pidFromFile();
        assertEquals(0, h.appctl("exit").status);
        assertTrue(DaemonHarness.waitForExit(pid, 10_000), "daemon did not exit");
        String log = Files.readString(h.dir().resolve("ovs-vswitchd.log"));
        assertFalse(log.contains("Unreasonably long"), log);
    }

    @Test
    void exitRemovesPidfileAndSocket() throws Exception {
        assertEquals(0, h.startDetached().status);
        long pid = h.pidFromFile();
        Path ctl = h.ctlSocket();
        assertNotNull(ctl);
        Result r = h.appctl("exit");
        assertEquals(0, r.status, r.toString());
        assertTrue(DaemonHarness.waitForExit(pid, 10_000), "daemon did not exit");
        assertFalse(Files.exists(h.pidfile()), "pidfile left behind");
        assertFalse(Files.exists(ctl), "control socket left behind");
    }

    @Test
    void sigtermRemovesPidfileAndSocket() throws Exception {
        assertEquals(0, h.startDetached().status);
        long pid = h.pidFromFile();
        Path ctl = h.ctlSocket();
        DaemonHarness.kill(pid, "TERM");
        assertTrue(DaemonHarness.waitForExit(pid, 10_000), "daemon did not exit on SIGTERM");
        assertFalse(Files.exists(h.pidfile()), "pidfile left behind");
        assertFalse(Files.exists(ctl), "control socket left behind");
    }

    @Test
    void secondDaemonOnALockedPidfileRefuses() throws Exception {
        assertEquals(0, h.startDetached().status);
        long pid = h.pidFromFile();
        Result second = h.startDetached();
        assertNotEquals(0, second.status, second.toString());
        assertTrue(second.stderr.contains(h.pidfile() + ": already running as pid " + pid + ", aborting"),
                second.stderr);
        assertEquals(pid, h.pidFromFile());
        Result v = h.appctl("version");
        assertEquals(0, v.status, "first daemon stopped answering: " + v);
        assertEquals(1, h.ourProcesses().stream().filter(p -> p == pid).count());
    }

    @Test
    void monitorRestartsAnAbortedDaemonButNotAnExitedOne() throws Exception {
        assertEquals(0, h.startDetached("--monitor").status);
        long first = h.pidFromFile();
        DaemonHarness.kill(first, "ABRT");
        assertTrue(DaemonHarness.waitForExit(first, 10_000));
        long second = -1;
        Result v = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            second = h.pidFromFile();
            if (second > 0 && second != first) {
                v = h.appctl("version");
                if (v.status == 0) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertNotNull(v, "daemon was not restarted");
        assertEquals(0, v.status, v.toString());
        assertNotEquals(first, second);

        long monitor = h.ourProcesses().stream().filter(p -> p != h.pidFromFileUnchecked())
                .filter(p -> cmdline(p).contains("ovs-vswitchd.jar") && !cmdline(p).contains("worker process for pid"))
                .findFirst().orElse(-1L);
        assertTrue(monitor > 0, "no monitor process");
        assertEquals(0, h.appctl("exit").status);
        assertTrue(DaemonHarness.waitForExit(second, 10_000));
        assertTrue(DaemonHarness.waitForExit(monitor, 10_000), "monitor did not exit after `exit`");
        // The aborted daemon could not clean up (nor can OVS's); the one that exited did.
        assertFalse(Files.exists(h.dir().resolve("ovs-vswitchd." + second + ".ctl")));
        assertFalse(Files.exists(h.pidfile()));
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (Exception e) {
            return "";
        }
    }
}
