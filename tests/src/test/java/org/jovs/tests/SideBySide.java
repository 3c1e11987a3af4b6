package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jovs.tests.DaemonHarness.Result;

/**
 * The real ovs-vswitchd and ours, side by side for the comparison tests: each with its own
 * harness (run directory and network namespace) and its own real ovsdb-server, both started
 * detached. {@link #close()} stops everything, even when the test failed.
 */
final class SideBySide implements AutoCloseable {
    static final String REAL_VSWITCHD = "/usr/sbin/ovs-vswitchd";

    final DaemonHarness real;
    final DaemonHarness ours;
    final OvsdbServer realDb;
    final OvsdbServer ourDb;

    private SideBySide(DaemonHarness real, DaemonHarness ours, OvsdbServer realDb, OvsdbServer ourDb) {
        this.real = real;
        this.ours = ours;
        this.realDb = realDb;
        this.ourDb = ourDb;
    }

    static SideBySide start() throws Exception {
        DaemonHarness real = new DaemonHarness();
        DaemonHarness ours = new DaemonHarness();
        SideBySide s;
        try {
            s = new SideBySide(real, ours, OvsdbServer.start(real), OvsdbServer.start(ours));
            Result r = real.run(60, real.inNetns(REAL_VSWITCHD, s.realDb.remote(),
                    "--pidfile=" + real.dir().resolve("ovs-vswitchd.pid"), "--detach",
                    "--log-file=" + real.dir().resolve("ovs-vswitchd.log")));
            assertEquals(0, r.status, r.toString());
            r = ours.startDetached(s.ourDb.remote());
            assertEquals(0, r.status, r.toString());
        } catch (Exception | AssertionError e) {
            try {
                real.close();
            } finally {
                ours.close();
            }
            throw e;
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        try {
            real.close();
        } finally {
            ours.close();
        }
    }
}
