package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jovs.core.Version;
import org.jovs.core.unixctl.RawClient;
import org.jovs.core.unixctl.UnixctlMalformedInputTest;
import org.jovs.core.unixctl.UnixctlMalformedInputTest.Case;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unixctl malformed-input table, written to the control socket of the real daemon process:
 * broken JSON, wrong types, notifications, a 10 MB request, a half-written request followed by a
 * hang-up, 200 idle connections. Each gets an error reply or a closed connection, and the one
 * daemon started for all cases keeps answering `version` within 100 ms.
 */
class DaemonMalformedInputTest {
    private static DaemonHarness h;
    private static String ctl;
    private static long pid;

    @BeforeAll
    static void start() throws Exception {
        h = new DaemonHarness();
        DaemonHarness.Result r = h.startDetached();
        assertEquals(0, r.status, r.toString());
        ctl = h.ctlSocket().toString();
        pid = h.pidFromFile();
        // Warm the client and the daemon's code paths before anything is timed.
        for (int i = 0; i < 50; i++) {
            UnixctlMalformedInputTest.assertVersionAnswered(ctl, version(), Long.MAX_VALUE);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    static Stream<Case> cases() {
        return UnixctlMalformedInputTest.cases();
    }

    private static String version() {
        return Version.programVersion("ovs-vswitchd");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedInputLeavesTheDaemonServing(Case c) throws Exception {
        UnixctlMalformedInputTest.check(c, ctl, version());
        assertTrue(DaemonHarness.alive(pid), "daemon died");
    }

    @Test
    void twoHundredIdleConnections() throws Exception {
        List<RawClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                idle.add(new RawClient(ctl));
            }
            UnixctlMalformedInputTest.assertVersionAnswered(ctl, version(), Long.MAX_VALUE);
            UnixctlMalformedInputTest.assertVersionAnswered(ctl, version(), 100);
        } finally {
            for (RawClient c : idle) {
                c.close();
            }
        }
        UnixctlMalformedInputTest.assertVersionAnswered(ctl, version(), 100);
        assertTrue(DaemonHarness.alive(pid), "daemon died");
    }
}
