package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the comparison tests: before each test, the real ovs-vswitchd and ours start side
 * by side, each with its own harness (run directory and network namespace) and its own real
 * ovsdb-server, both detached, with the same {@link #startOptions()}; after it, everything is
 * stopped, even when the test failed.
 */
abstract class SideBySideTest {
    static final String REAL_VSWITCHD = "/usr/sbin/ovs-vswitchd";

    DaemonHarness real;
    DaemonHarness ours;
    OvsdbServer realDb;
    OvsdbServer ourDb;
    /** What each daemon's start printed (the --detach parent's output and status). */
    Result realStart;
    Result ourStart;

    /** Options both daemons get besides the database, --pidfile, --detach and --log-file. */
    List<String> startOptions() {
        return List.of();
    }

    @BeforeEach
    void startBoth() throws Exception {
        real = new DaemonHarness();
        ours = new DaemonHarness();
        realDb = OvsdbServer.start(real);
        ourDb = OvsdbServer.start(ours);
        List<String> argv = new ArrayList<>(List.of(REAL_VSWITCHD, realDb.remote(),
                "--pidfile=" + real.dir().resolve("ovs-vswitchd.pid"), "--detach",
                "--log-file=" + real.dir().resolve("ovs-vswitchd.log")));
        argv.addAll(startOptions());
        realStart = real.run(60, real.inNetns(argv.toArray(new String[0])));
        assertEquals(0, realStart.status, realStart.toString());
        argv = new ArrayList<>(List.of(ourDb.remote()));
        argv.addAll(startOptions());
        ourStart = ours.startDetached(argv.toArray(new String[0]));
        assertEquals(0, ourStart.status, ourStart.toString());
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
