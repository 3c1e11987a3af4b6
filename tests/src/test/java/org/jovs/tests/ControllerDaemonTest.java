package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge in fail mode standalone with a controller, driven by the real ovs-testcontroller (a
 * learning switch over OpenFlow): while the controller is unreachable the bridge forwards nothing
 * until it fails open, as OVS's after three inactivity probe intervals; once the controller comes
 * up the bridge leaves fail-open mode, and the controller's packet-ins, packet-outs and flows
 * carry the traffic between two client namespaces. bridge/reconnect drops the connection, which
 * is made again.
 */
class ControllerDaemonTest {
    private DaemonHarness h;
    private VethClients clients;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        clients = new VethClients(h);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            clients.close();
        } finally {
            h.close();
        }
    }

    private String log() throws Exception {
        Path log = h.dir().resolve("ovs-vswitchd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitLog(String text, long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        while (!log().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no \"" + text + "\" in the log within " + ms + " ms:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    private String flows() throws Exception {
        Result r = h.runInNetns(20, "ovs-ofctl", "dump-flows", "br0");
        assertEquals(0, r.status, r.toString());
        return r.stdout;
    }

    @Test
    void failsOpenWithoutItsControllerAndHandsOverToOvsTestcontroller() throws Exception {
        clients.add(1, "10.0.0.1/24");
        clients.add(2, "10.0.0.2/24");
        assertEquals(0, h.runInNetns(10, "ip", "link", "set", "lo", "up").status);
        Path file = h.dir().resolve("switch.json");
        // inactivity_probe 3 s: the bridge fails open after 9 s without a controller.
        Files.writeString(file, "{\"bridges\": [{\"name\": \"br0\", \"controller\": [{\"target\": \"tcp:127.0.0.1\", "
                + "\"inactivity_probe\": 3000}], \"ports\": [{\"name\": \"" + clients.port(1) + "\", \"ofport_request\": 1}, "
                + "{\"name\": \"" + clients.port(2) + "\", \"ofport_request\": 2}]}]}");
        Result start = h.startDetached("--config=" + file);
        assertEquals(0, start.status, start.toString());

        // A controller is configured, so there is no NORMAL flow, and nothing answers packet-ins.
        assertFalse(flows().contains("actions="), flows());
        assertTrue(clients.exec(1, 10, "ping", "-c", "1", "-W", "1", "10.0.0.2").status != 0,
                "forwarded before failing open");

        awaitLog("fail_open|WARN|Could not connect to controller (or switch failed controller's post-connection "
                + "admission control policy) for ", 15_000);
        assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 in fail-open mode");

        Result tc = h.runInNetns(10, "ovs-testcontroller", "ptcp:6653:127.0.0.1", "--detach", "--no-chdir",
                "--pidfile=" + h.dir().resolve("ovs-testcontroller.pid"),
                "--log-file=" + h.dir().resolve("ovs-testcontroller.log"));
        assertEquals(0, tc.status, tc.toString());
        awaitLog("fail_open|WARN|No longer in fail-open mode", 15_000);
        assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 through the controller");
        assertTrue(clients.ping(2, "10.0.0.1"), "2 -> 1 through the controller");
        String flows = flows();
        // The controller's table-miss flow, and the flows it set up for the ping in both directions.
        assertTrue(flows.contains("priority=0 actions=CONTROLLER:128"), flows);
        assertTrue(flows.matches("(?s).*priority=1,icmp,in_port=1,.*actions=output:2.*"), flows);
        assertTrue(flows.matches("(?s).*priority=1,icmp,in_port=2,.*actions=output:1.*"), flows);

        String connected = "reconnect|INFO|br0<->tcp:127.0.0.1: connected";
        assertEquals(1, log().split(java.util.regex.Pattern.quote(connected), -1).length - 1, log());
        Result reconnect = h.appctl("bridge/reconnect", "br0");
        assertEquals(0, reconnect.status, reconnect.toString());
        long deadline = System.currentTimeMillis() + 10_000;
        while (log().split(java.util.regex.Pattern.quote(connected), -1).length - 1 < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "reconnected after bridge/reconnect:\n" + log());
            Thread.sleep(100);
        }
        assertTrue(clients.ping(1, "10.0.0.2"), "1 -> 2 after the reconnection");
    }
}
