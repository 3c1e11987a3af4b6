package org.jovs.vswitchd.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.jovs.core.PollLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OVSDB client against the real ovsdb-server over unix: and tcp: streams: the replica
 * follows changes made with the real ovs-vsctl, transactions write, the lock goes to one client
 * at a time, and a restarted server is reconnected to.
 */
class IdlTest {
    private static final Map<String, List<String>> MONITORED = Map.of(
            "Open_vSwitch", List.of("bridges", "next_cfg"), "Bridge", List.of("name", "datapath_type"));

    private Path dir;
    private int tcpPort;
    private final List<Idl> idls = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("jovs-idl-");
        try (ServerSocket s = new ServerSocket(0)) {
            tcpPort = s.getLocalPort();
        }
        run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        startServer();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "init");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Idl idl : idls) {
            idl.close();
        }
        stopServer();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String unix() {
        return "unix:" + dir.resolve("db.sock");
    }

    private void startServer() throws Exception {
        run("ovsdb-server", "--remote=punix:" + dir.resolve("db.sock"), "--remote=ptcp:" + tcpPort + ":127.0.0.1",
                "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--log-file=" + dir.resolve("ovsdb-server.log"), "--detach", dir.resolve("conf.db").toString());
    }

    private void stopServer() throws Exception {
        Path pidfile = dir.resolve("ovsdb-server.pid");
        if (Files.exists(pidfile)) {
            String pid = Files.readString(pidfile).trim();
            new ProcessBuilder("kill", "-KILL", pid).start().waitFor();
            while (new File("/proc/" + pid).exists()) {
                Thread.sleep(10);
            }
            Files.delete(pidfile);
        }
    }

    private String run(String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out.trim();
    }

    private Idl open(String remote) {
        Idl idl = new Idl(new JsonRpcSession(remote), "Open_vSwitch", MONITORED);
        idls.add(idl);
        return idl;
    }

    /** Runs every Idl's main loop until 'done' or 10 s. */
    private void runUntil(String what, BooleanSupplier done) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, what);
            for (Idl idl : idls) {
                idl.run();
            }
            if (done.getAsBoolean()) {
                return;
            }
            PollLoop loop = new PollLoop();
            for (Idl idl : idls) {
                idl.waitFor(loop);
            }
            loop.timerWait(100);
            loop.block();
        }
    }

    private static String bridgeNames(Idl idl) {
        List<String> names = new ArrayList<>();
        for (Idl.Row r : idl.table("Bridge").values()) {
            names.add(Datum.string(r.get("name")));
        }
        names.sort(null);
        return String.join(",", names);
    }

    @Test
    void replicaFollowsChangesOverUnix() throws Exception {
        replicaFollowsChanges(unix());
    }

    @Test
    void replicaFollowsChangesOverTcp() throws Exception {
        replicaFollowsChanges("tcp:127.0.0.1:" + tcpPort);
    }

    private void replicaFollowsChanges(String remote) throws Exception {
        Idl idl = open(remote);
        runUntil("ready", idl::isReady);
        assertEquals(1, idl.table("Open_vSwitch").size());
        assertEquals("", bridgeNames(idl));

        long seq = idl.changeSeqno();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "add-br", "b1", "--", "add-br", "b2", "--",
                "set", "bridge", "b2", "datapath_type=netdev");
        runUntil("update", () -> idl.changeSeqno() != seq && idl.table("Bridge").size() == 2);
        assertEquals("b1,b2", bridgeNames(idl));
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "del-br", "b1");
        runUntil("deletion", () -> idl.table("Bridge").size() == 1);
        Idl.Row b2 = idl.table("Bridge").values().iterator().next();
        assertEquals("netdev", Datum.string(b2.get("datapath_type")));

        // A transaction: its effect comes back through the monitor.
        Idl.TxnStatus[] result = new Idl.TxnStatus[1];
        idl.commit(new Idl.Txn().update("Bridge", b2.uuid(), Map.of("datapath_type", "system")), s -> result[0] = s);
        runUntil("transaction", () -> result[0] != null
                && Datum.string(idl.row("Bridge", b2.uuid()).get("datapath_type")).equals("system"));
        assertEquals(Idl.TxnStatus.SUCCESS, result[0]);
        assertEquals("system", run("ovs-vsctl", "--db=" + unix(), "get", "bridge", "b2", "datapath_type"));
    }

    @Test
    void omittedColumnsAreReplicatedWithoutMovingTheChangeSeqno() throws Exception {
        Idl idl = open(unix());
        idl.omitAlert("Bridge", "datapath_type");
        runUntil("ready", idl::isReady);
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "add-br", "b1");
        runUntil("bridge", () -> idl.table("Bridge").size() == 1);
        String b1 = idl.table("Bridge").keySet().iterator().next();

        // A change to the omitted column alone: replicated, no alert.
        long seq = idl.changeSeqno();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "set", "bridge", "b1", "datapath_type=netdev");
        runUntil("replicated", () -> "netdev".equals(Datum.string(idl.row("Bridge", b1).get("datapath_type"))));
        assertEquals(seq, idl.changeSeqno());

        // Any other change alerts, and so do a new row and a deleted one.
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "set", "bridge", "b1", "datapath_type=system", "--",
                "set", "open_vswitch", ".", "next_cfg=7");
        runUntil("alert", () -> idl.changeSeqno() != seq);
        long seq2 = idl.changeSeqno();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "add-br", "b2");
        runUntil("insert alerts", () -> idl.changeSeqno() != seq2);
        long seq3 = idl.changeSeqno();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "del-br", "b2");
        runUntil("delete alerts", () -> idl.changeSeqno() != seq3);
    }

    @Test
    void lockGoesToOneClientAtATime() throws Exception {
        Idl first = open(unix());
        first.setLock("ovs_vswitchd");
        runUntil("first locked", first::hasLock);
        Idl second = open(unix());
        second.setLock("ovs_vswitchd");
        // Ready too: the lock answer may come before the replica, and a write needs both.
        runUntil("second contended", () -> second.isLockContended() && second.isReady());
        assertFalse(second.hasLock());

        // Without the lock, writes fail the "assert" operation.
        String ovs = first.table("Open_vSwitch").keySet().iterator().next();
        Idl.TxnStatus[] result = new Idl.TxnStatus[1];
        second.commit(new Idl.Txn().update("Open_vSwitch", ovs, Map.of("next_cfg", 42L)), s -> result[0] = s);
        runUntil("refused", () -> result[0] != null);
        assertEquals(Idl.TxnStatus.NOT_LOCKED, result[0]);

        first.close();
        idls.remove(first);
        runUntil("second gets the lock", second::hasLock);
        assertFalse(second.isLockContended());
    }

    @Test
    void reconnectsAfterServerRestart() throws Exception {
        Idl idl = open(unix());
        runUntil("ready", idl::isReady);
        int seq = idl.session().seqno();
        stopServer();
        runUntil("disconnected", () -> !idl.session().isConnected());
        assertFalse(idl.isReady());
        // What was known stays readable while the server is away.
        assertEquals(1, idl.table("Open_vSwitch").size());
        startServer();
        run("ovs-vsctl", "--db=" + unix(), "--no-wait", "add-br", "b9");
        runUntil("reconnected", () -> idl.isReady() && bridgeNames(idl).equals("b9"));
        assertTrue(idl.session().seqno() != seq);
    }
}
