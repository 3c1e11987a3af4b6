package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's OVSDB session with the real ovsdb-server: the "ovs_vswitchd" lock keeps a second
 * daemon on the same database from touching anything until the first goes away, and a restart of
 * ovsdb-server is ridden out with the bridges intact and later changes applied.
 */
class OvsdbSessionTest {
    private DaemonHarness h;
    private OvsdbServer db;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        db = OvsdbServer.start(h);
        Result r = h.startDetached(db.remote());
        assertEquals(0, r.status, r.toString());
        db.vsctlOk("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static void awaitTrue(String what, long ms, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " within " + ms + " ms");
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    @Test
    void secondDaemonStandsBackWhileTheFirstHoldsTheLock() throws Exception {
        Path ctl = h.dir().resolve("second.ctl");
        Path out = h.dir().resolve("second.out");
        // Not --detach: a daemon without the lock never completes its start-up, as OVS's.
        ProcessBuilder pb = h.builder(h.inNetns(DaemonHarness.LAUNCHER.toString(), db.remote(), "--unixctl=" + ctl));
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process second = pb.start();
        awaitTrue("second daemon says it is disabled", 20_000, () -> Files.readString(out)
                .contains("another ovs-vswitchd process is running, disabling this process (pid " + second.pid() + ")"));

        // Changes are made by the first daemon only.
        db.vsctlOk("add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal");
        Result dpif = h.run(10, DaemonHarness.APPCTL, "-t", ctl.toString(), "dpif/show");
        assertEquals(0, dpif.status, dpif.toString());
        assertEquals("", dpif.stdout);
        assertTrue(h.appctl("dpif/show").stdout.contains("    p1 1/2: (tap)\n"));
        String ifindex = db.vsctlOk("get", "interface", "p1", "ifindex");

        // When the first daemon dies, the lock passes to the second, which takes the bridges over.
        long first = h.pidFromFile();
        DaemonHarness.kill(first, "KILL");
        assertTrue(DaemonHarness.waitForExit(first, 5000));
        awaitTrue("second daemon takes over", 10_000, () -> h.run(10, DaemonHarness.APPCTL, "-t", ctl.toString(),
                "dpif/show").stdout.contains("    p1 1/2: (tap)\n"));
        // The devices were kept (persistent taps), not recreated.
        assertEquals(ifindex, db.vsctlOk("get", "interface", "p1", "ifindex"));
        db.vsctlOk("add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal");
        assertEquals("2", db.vsctlOk("get", "interface", "p2", "ofport"));
        second.destroy();
    }

    @Test
    void ovsdbServerRestartKeepsBridgesAndAppliesLaterChanges() throws Exception {
        db.vsctlOk("add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal");
        String ifindex = db.vsctlOk("get", "interface", "p1", "ifindex");
        String dpifBefore = h.appctl("dpif/show").stdout;

        db.kill();
        // The database is away: the bridges stay as they are.
        Thread.sleep(300);
        assertEquals(dpifBefore, h.appctl("dpif/show").stdout);
        db.restart();

        // ovs-vsctl waits (up to its timeout) until the daemon is back and has applied the change.
        db.vsctlOk("add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal");
        assertEquals("2", db.vsctlOk("get", "interface", "p2", "ofport"));
        assertEquals(ifindex, db.vsctlOk("get", "interface", "p1", "ifindex"));
        assertTrue(h.appctl("dpif/show").stdout.contains("    p1 1/2: (tap)\n    p2 2/3: (tap)\n"));
        assertTrue(new File("/proc/" + h.pidFromFile()).exists());
    }
}
