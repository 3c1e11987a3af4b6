package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * ovsdb-server is ridden out with the bridges intact and later changes applied, while forwarding
 * and the OpenFlow tables carry on without the database.
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

    /** Runs the real ovs-ofctl on br0 (found through the harness's OVS_RUNDIR) and returns its output. */
    private String ofctl(String... args) throws Exception {
        String[] argv = new String[args.length + 2];
        argv[0] = "ovs-ofctl";
        argv[1] = args[0];
        argv[2] = "br0";
        System.arraycopy(args, 1, argv, 3, args.length - 1);
        Result r = h.run(20, argv);
        assertEquals(0, r.status, r.toString());
        return r.stdout;
    }

    @Test
    void forwardingAndOpenFlowStateCarryOnWhileTheDatabaseIsAway() throws Exception {
        try (VethClients clients = new VethClients(h)) {
            clients.add(1, "10.0.0.1/24");
            clients.add(2, "10.0.0.2/24");
            db.vsctlOk("add-port", "br0", clients.port(1), "--", "set", "interface", clients.port(1),
                    "ofport_request=1", "--", "add-port", "br0", clients.port(2), "--", "set", "interface",
                    clients.port(2), "ofport_request=2");
            // Explicit flows above the default NORMAL one, so that forwarding depends on them.
            ofctl("add-flow", "priority=100,in_port=1,actions=output:2");
            ofctl("add-flow", "priority=100,in_port=2,actions=output:1");
            assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 with the database up");

            db.kill();
            assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 with the database away");
            String flows = ofctl("dump-flows");
            assertTrue(flows.contains("priority=100,in_port=1 actions=output:2"), flows);
            assertTrue(flows.contains("priority=100,in_port=2 actions=output:1"), flows);
            assertTrue(flows.matches("(?s).*n_packets=[1-9].*priority=100,in_port=1 .*"), flows);
            // The tables still take changes, and forwarding follows them.
            ofctl("add-flow", "priority=200,icmp,in_port=1,actions=drop");
            assertFalse(clients.ping(1, "10.0.0.2"), "ICMP from 1 dropped by the new flow");
            ofctl("del-flows", "--strict", "priority=200,icmp,in_port=1");
            assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 again once the drop flow is gone");

            db.restart();
            db.vsctlOk("add-port", "br0", "p3", "--", "set", "interface", "p3", "type=internal");
            assertEquals("3", db.vsctlOk("get", "interface", "p3", "ofport"));
            flows = ofctl("dump-flows");
            assertTrue(flows.contains("priority=100,in_port=1 actions=output:2"), flows);
            assertFalse(flows.contains("priority=200"), flows);
            assertTrue(clients.ping(2, "10.0.0.1"), "2 -> 1 after the database is back");
        }
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
