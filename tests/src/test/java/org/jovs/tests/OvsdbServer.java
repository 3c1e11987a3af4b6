package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jovs.tests.DaemonHarness.Result;

/**
 * A real ovsdb-server (Debian's openvswitch-switch) with a fresh Open_vSwitch database in a
 * harness's private directory, listening on {@code unix:DIR/db.sock}, and the real ovs-vsctl
 * against it. The server runs with the harness's environment, so the harness kills it in teardown.
 */
final class OvsdbServer {
    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    private final DaemonHarness h;
    private final Path db;

    private OvsdbServer(DaemonHarness h) {
        this.h = h;
        this.db = h.dir().resolve("conf.db");
    }

    /** Creates the database (ovsdb-tool create, then ovs-vsctl init) and starts the server. */
    static OvsdbServer start(DaemonHarness h) throws IOException, InterruptedException {
        OvsdbServer s = new OvsdbServer(h);
        Result r = h.run(30, "ovsdb-tool", "create", s.db.toString(), SCHEMA);
        assertEquals(0, r.status, r.toString());
        s.restart();
        r = s.vsctl("--no-wait", "init");
        assertEquals(0, r.status, r.toString());
        return s;
    }

    /** "unix:DIR/db.sock": what the daemon is given. */
    String remote() {
        return "unix:" + h.dir().resolve("db.sock");
    }

    Path pidfile() {
        return h.dir().resolve("ovsdb-server.pid");
    }

    /** Starts the server on the existing database. */
    void restart() throws IOException, InterruptedException {
        Result r = h.run(30, "ovsdb-server", "--remote=punix:" + h.dir().resolve("db.sock"),
                "--pidfile=" + pidfile(), "--unixctl=" + h.dir().resolve("ovsdb-server.ctl"),
                "--log-file=" + h.dir().resolve("ovsdb-server.log"), "--detach", db.toString());
        assertEquals(0, r.status, r.toString());
    }

    /** Kills the server with SIGKILL and waits for it to be gone. */
    void kill() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(pidfile()).trim());
        DaemonHarness.kill(pid, "KILL");
        DaemonHarness.waitForExit(pid, 5000);
    }

    /** Runs the real ovs-vsctl against the server, with a 10 s limit on waiting for the daemon. */
    Result vsctl(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10", "--db=" + remote()));
        argv.addAll(Arrays.asList(args));
        return h.run(30, argv.toArray(new String[0]));
    }

    /** Runs ovs-vsctl and requires success; returns its output, trimmed. */
    String vsctlOk(String... args) throws IOException, InterruptedException {
        Result r = vsctl(args);
        assertEquals(0, r.status, "ovs-vsctl " + String.join(" ", args) + ": " + r);
        return r.stdout.trim();
    }
}
