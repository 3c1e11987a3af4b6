package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the comparison tests: before each test, the real ovs-vswitchd and ours start side
 * by side, each with its own harness (run directory and network namespace) and its own real
 * ovsdb-server, both detached; after it, everything is stopped, even when the test failed.
 */
abstract class SideBySideTest {
    static final String REAL_VSWITCHD = "/usr/sbin/ovs-vswitchd";

    DaemonHarness real;
    DaemonHarness ours;
    OvsdbServer realDb;
    OvsdbServer ourDb;

    @BeforeEach
    void startBoth() throws Exception {
        real = new DaemonHarness();
        ours = new DaemonHarness();
        realDb = OvsdbServer.start(real);
        ourDb = OvsdbServer.start(ours);
        Result r = real.run(60, real.inNetns(REAL_VSWITCHD, realDb.remote(),
                "--pidfile=" + real.dir().resolve("ovs-vswitchd.pid"), "--detach",
                "--log-file=" + real.dir().resolve("ovs-vswitchd.log")));
        assertEquals(0, r.status, r.toString());
        r = ours.startDetached(ourDb.remote());
        assertEquals(0, r.status, r.toString());
    }

    @AfterEach
    void stopBoth() throws Exception {
        try {
            if (real != null) {
                real.close();
            }
        } finally {
            if (ours != null) {
                ours.close();
            }
        }
    }
}
